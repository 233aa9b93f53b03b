/** What the page shows but the room does not keep is held until the page is built (ui/backlog.ts). */
import { describe, expect, it } from 'vitest';
import { holdBacklog } from '../../web/src/ui/backlog.js';
import { B, setup, until } from './room-fakes.js';

describe('the backlog of a room page not built yet', () => {
  it('holds notices until released, then stops holding', async () => {
    const s = setup({ handshake: true });
    const backlog = holdBacklog(s.client);
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    s.socket.fire('peer-joined', { id: B, name: 'Bea', resumed: false });
    const early = backlog.release();
    expect(early.notices).toEqual([{ kind: 'joined', text: 'Bea joined' }]);
    expect(early.received).toEqual([]);
    s.socket.fire('peer-left', { id: B });
    expect(early.notices).toHaveLength(1); // released: later notices go to the page's own listener
  });
});
