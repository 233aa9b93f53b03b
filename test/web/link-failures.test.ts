/**
 * Links that fail without ICE failing (web/src/core/room-core.ts): one that never connects (its
 * offer or answer lost on the way) is given up after the negotiation timeout, and one the browser
 * refuses to make counts as failed; both are replaced by the retry rules. Late signals of a peer
 * that is not in the room make no entry for it.
 */
import { describe, expect, it } from 'vitest';
import { B, C, setup, until } from './room-fakes.js';

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

describe('links that cannot start, and late signals', () => {
  it('a peer connection the browser refuses to make counts as a failed link and is retried', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], failPeers: 1 });
    s.room.start();
    await until('retried', () => s.peers.length === 1);
    expect(s.room.peers.get(B)!.attempts).toBe(1);
    s.peers[0]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
  });

  it('a refused prepared offer leaves the join to make the link', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], bootIce: [{ urls: ['stun:boot'] }], failPeers: 1 });
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    expect(s.room.webrtcWarm).toBe(false);
    s.peers[0]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
  });

  it('a candidate from a peer that is not in the room makes no entry for it', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    s.socket.fire('signal', { from: C, data: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 198.51.100.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } } });
    s.socket.fire('signal', { from: C, data: { type: 'answer', sdp: 'v=0\r\n' } });
    await new Promise((r) => setTimeout(r, 5));
    expect([...s.room.peers.keys()]).toEqual([B]);
  });
});

describe('lists a long-lived page keeps', () => {
  it('keep their newest entries only', async () => {
    const { pushCapped } = await import('../../web/src/core/capped.js');
    const list: number[] = [];
    for (let i = 0; i < 250; i++) pushCapped(list, i, 100);
    expect(list).toHaveLength(100);
    expect(list[0]).toBe(150);
    expect(list.at(-1)).toBe(249);
  });

  it('protocol errors from the server are capped at 100, newest kept', async () => {
    const { PROTOCOL_ERRORS_MAX } = await import('../../web/src/core/capped.js');
    const s = setup({ handshake: true });
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    for (let i = 0; i < 150; i++) s.socket.fire('protocol-error', { event: 'signal', code: 'rate-limited', message: `n${i}` });
    expect(s.room.protocolErrors).toHaveLength(PROTOCOL_ERRORS_MAX);
    expect(s.room.protocolErrors.at(-1)).toContain('n149');
  });
});
