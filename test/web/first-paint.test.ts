/** The room page is built once the first connections have settled, or after a cap (ui/first-paint.ts). */
import { describe, expect, it } from 'vitest';
import { settled, whenSettled } from '../../web/src/ui/first-paint.js';
import { B, setup, until } from './room-fakes.js';

describe('first paint of a room page', () => {
  it('waits for the join and for the first link to connect', async () => {
    const s = setup({ handshake: 'silent', peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    let built = 0;
    whenSettled(s.client, () => built++, 5000);
    await until('socket up', () => s.socket.connected);
    expect(built).toBe(0);
    s.answerHandshake();
    await until('link to B', () => s.peers.length === 1);
    expect(s.room.status).toBe('joined');
    expect(settled(s.client)).toBe(false);
    expect(built).toBe(0);
    s.peers[0]!.open();
    await until('built', () => built === 1);
    s.peers[0]!.fail(); // later changes do not build it again
    await new Promise((r) => setTimeout(r, 20));
    expect(built).toBe(1);
  });

  it('alone in the room, or turned away: at once', async () => {
    const alone = setup({ handshake: true });
    alone.room.start();
    let built = 0;
    whenSettled(alone.client, () => built++, 5000);
    await until('built', () => built === 1);
    const full = setup({ handshake: true, onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'full' } }) });
    full.room.start();
    whenSettled(full.client, () => built++, 5000);
    await until('built', () => built === 2);
    expect(full.room.status).toBe('room-full');
  });

  it('never later than the cap', async () => {
    const s = setup({ handshake: 'silent' });
    s.room.start();
    const t0 = Date.now();
    let at = 0;
    whenSettled(s.client, () => (at = Date.now()), 60);
    await until('built', () => at > 0);
    expect(at - t0).toBeGreaterThanOrEqual(55);
    expect(s.room.status).toBe('connecting');
  });
});
