/**
 * A join the server could not take right now is sent again; the answer to a join of an earlier
 * connection does not undo the current one (web/src/core/room-core.ts).
 */
import { describe, expect, it } from 'vitest';
import { setup, until } from './room-fakes.js';

const unavailable = { ok: false, error: { code: 'unavailable', message: 'room state is unreachable right now; retry shortly' } };

describe('join retries', () => {
  it('unavailable, rate-limited and internal answers are retried until the join succeeds', async () => {
    for (const code of ['unavailable', 'rate-limited', 'internal']) {
      const s = setup({ handshake: true, onJoin: (_req, n) => (n < 2 ? { ok: false, error: { code, message: code } } : undefined) });
      const statuses: string[] = [];
      s.room.on('change', () => statuses.push(s.room.status));
      s.room.start();
      await until(`joined after ${code}`, () => s.room.status === 'joined');
      expect(statuses, code).toContain('error');
      // The handshake's answer was the first failure; two `join` events followed.
      expect(s.socket.joins(), code).toHaveLength(2);
      s.room.leave();
    }
  });

  it('a refusal (room-full, unauthorized) is final: no retry', async () => {
    const s = setup({ handshake: true, onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'full' } }) });
    s.room.start();
    await until('refused', () => s.room.status === 'room-full');
    await new Promise((r) => setTimeout(r, 20));
    expect(s.socket.joins()).toHaveLength(0);
  });

  it('no retry after leave()', async () => {
    const s = setup({ handshake: true, onJoin: () => unavailable });
    s.room.start();
    await until('failed', () => s.room.status === 'error');
    s.room.leave();
    const sent = s.socket.joins().length;
    await new Promise((r) => setTimeout(r, 20));
    expect(s.socket.joins()).toHaveLength(sent);
  });

  it('the late answer to a join of an earlier connection does not undo the join of the current one', async () => {
    const s = setup({ holdJoins: true });
    s.room.start();
    await until('first join sent', () => s.heldJoins.length === 1);
    s.socket.drop(); // the connection goes; the reconnect joins again
    await until('second join sent', () => s.heldJoins.length === 2);
    s.heldJoins[1]!.answer();
    await until('joined', () => s.room.status === 'joined');
    s.heldJoins[0]!.answer(unavailable); // e.g. the first join's 8 s timeout
    await new Promise((r) => setTimeout(r, 20));
    expect(s.room.status).toBe('joined');
    expect(s.room.error).toBeNull();
  });
});
