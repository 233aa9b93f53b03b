/**
 * A link that never connects (its offer or answer lost on the way) is given up after the
 * negotiation timeout and replaced by the retry rules (web/src/core/room-core.ts wireLink).
 */
import { describe, expect, it } from 'vitest';
import { B, setup, until } from './room-fakes.js';

describe('negotiation timeout', () => {
  it('the initiator replaces a link that never connected, and the new one can connect', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], negotiationTimeoutMs: 30 });
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    expect(s.room.peers.get(B)!.conn).toBe('connecting');
    await until('replaced', () => s.peers.length === 2);
    expect(s.peers[0]!.destroyed).toBe(true);
    expect(s.room.peers.get(B)!.attempts).toBe(1);
    s.peers[1]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
    expect(s.room.peers.get(B)!.error).toBeNull();
  });

  it('a connected link is left alone, and leave() leaves no timer behind', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], negotiationTimeoutMs: 30 });
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    s.peers[0]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
    await new Promise((r) => setTimeout(r, 60)); // twice the timeout
    expect(s.peers).toHaveLength(1);
    expect(s.room.peers.get(B)!.conn).toBe('connected');
    const open = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], negotiationTimeoutMs: 30 });
    open.room.start();
    await until('link to B', () => open.peers.length === 1);
    open.room.leave();
    await new Promise((r) => setTimeout(r, 60));
    expect(open.peers).toHaveLength(1); // no replacement after leave()
  });
});
