/**
 * The room's fast start: the join travels in the connection handshake (answered by `joined`), and
 * the first offer is prepared from the page's boot ICE servers before the join completes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SPARE_MAX_AGE_MS } from '../../web/src/core/room-core.js';
import { ACK_TIMEOUT_MS } from '../../web/src/core/signaling.js';
import { A, B, C, setup, until } from './room-fakes.js';

const bootIce = [{ urls: ['turn:boot'], username: '9999999999:page', credential: 'c' }];

afterEach(() => {
  vi.useRealTimers();
});

describe('join in the handshake', () => {
  it('joins from the `joined` answer without sending `join`, and initiates to the peers there', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    expect(s.socket.joins()).toEqual([]);
    expect(s.room.selfId).toBe(A);
    await until('offer to B', () => s.socket.sent.some((m) => m.event === 'signal' && (m.payload as { to: string }).to === B));
    expect(s.peers).toHaveLength(1);
    expect(s.peers[0]!.opts.initiator).toBe(true);
  });

  it('a reconnect sends the current request, resume included, and still no `join` event', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const s = setup({ handshake: true, onJoin: (req) => (seen.push(req), undefined) });
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    s.socket.drop();
    await until('rejoined', () => seen.length === 2 && s.room.status === 'joined');
    expect(seen[0]!.resume).toBeUndefined();
    expect(seen[1]!.resume).toEqual({ peerId: A, key: 'key-1' });
    expect(s.room.resumes).toBe(1);
    expect(s.socket.joins()).toEqual([]);
  });

  it('no `joined` within the ack timeout: joins with a `join` event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup({ handshake: 'silent' });
    s.room.start();
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 100);
    expect(s.socket.joins()).toEqual([]);
    expect(s.room.status).toBe('connecting');
    await vi.advanceTimersByTimeAsync(200);
    expect(s.socket.joins()).toHaveLength(1);
    expect(s.room.status).toBe('joined');
  });

  it('leaving while the answer and the prepared offer are pending leaves nothing running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup({ handshake: 'silent', bootIce });
    s.room.start();
    await vi.advanceTimersByTimeAsync(0); // the socket connects; the offer is prepared
    s.room.leave();
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * 2);
    expect(s.socket.joins()).toEqual([]);
    expect(s.peers.every((p) => p.destroyed)).toBe(true);
  });

  it('a failed handshake join (room full) ends like a failed `join`', async () => {
    const s = setup({ handshake: true, onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'full' } }) });
    s.room.start();
    await until('room-full', () => s.room.status === 'room-full');
    expect(s.socket.connected).toBe(false);
  });
});

describe('the first offer, prepared before the join', () => {
  /** A room whose handshake is answered by the test, after the prepared offer exists. */
  async function prepared(peers: Array<{ id: string; name: string }>) {
    const s = setup({ handshake: 'silent', bootIce, peers });
    s.room.start();
    expect(s.peers).toHaveLength(0); // not in start()'s task: the socket's handshake goes first
    await until('prepared offer', () => s.peers.length === 1 && s.socket.connected);
    expect(s.room.status).toBe('connecting'); // before any answer from the server
    s.answerHandshake();
    return s;
  }

  it('starts with the boot ICE servers before the join; the first peer takes it and its offer', async () => {
    const s = await prepared([{ id: B, name: 'Bea' }]);
    expect(s.peers[0]!.opts).toMatchObject({ initiator: true, config: { iceServers: bootIce, iceTransportPolicy: 'all' } });
    await until('joined', () => s.room.status === 'joined');
    await until('offer to B', () => s.socket.sent.some((m) => m.event === 'signal' && (m.payload as { to: string }).to === B));
    expect(s.peers).toHaveLength(1);
    expect(s.room.peers.get(B)!.link!.peerId).toBe(B);
    expect(s.peers[0]!.destroyed).toBe(false);
    // The link is the room's like any other: it connects, and a failure replaces it.
    s.peers[0]!.open();
    expect(s.room.peers.get(B)!.conn).toBe('connected');
  });

  it('two peers there: the first takes the prepared offer, the second gets a new connection', async () => {
    const s = await prepared([{ id: B, name: 'Bea' }, { id: C, name: 'Cy' }]);
    await until('two links', () => s.room.peers.get(B)?.link != null && s.room.peers.get(C)?.link != null);
    expect(s.peers).toHaveLength(2);
    expect(s.room.peers.get(B)!.link!.peerId).toBe(B);
    expect(s.room.peers.get(C)!.link!.peerId).toBe(C);
    const offersTo = s.socket.sent.filter((m) => m.event === 'signal').map((m) => (m.payload as { to: string }).to);
    expect(new Set(offersTo)).toEqual(new Set([B, C]));
  });

  it('nobody to offer to, a failed join, or a relay switch: it is dropped', async () => {
    const empty = await prepared([]);
    await until('joined', () => empty.room.status === 'joined');
    expect(empty.peers[0]!.destroyed).toBe(true);

    const full = setup({ handshake: 'silent', bootIce, onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'full' } }) });
    full.room.start();
    await until('prepared offer', () => full.peers.length === 1);
    full.answerHandshake();
    await until('room-full', () => full.room.status === 'room-full');
    expect(full.peers[0]!.destroyed).toBe(true);

    const relay = setup({ handshake: 'silent', bootIce });
    relay.room.start();
    await until('prepared offer', () => relay.peers.length === 1);
    relay.room.setRelayOnly(true);
    expect(relay.peers[0]!.destroyed).toBe(true);
  });

  it('too old when the join finally comes (server unreachable meanwhile): dropped, a fresh connection instead', async () => {
    const s = setup({ handshake: 'silent', bootIce, peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await until('prepared offer', () => s.peers.length === 1 && s.socket.connected);
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + SPARE_MAX_AGE_MS + 1000);
    try {
      s.answerHandshake();
      await until('link to B', () => s.room.peers.get(B)?.link != null);
      expect(s.peers).toHaveLength(2);
      expect(s.peers[0]!.destroyed).toBe(true);
      expect(s.peers[1]!.opts.config.iceServers).toEqual([{ urls: ['stun:x'] }]); // the join's
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('signaling lost before the join: the prepared offer is dropped (its TURN allocation freed)', async () => {
    const s = setup({ handshake: 'silent', bootIce });
    s.room.start();
    await until('prepared offer', () => s.peers.length === 1 && s.socket.connected);
    s.socket.drop();
    expect(s.peers[0]!.destroyed).toBe(true);
  });

  it('without boot ICE servers nothing is prepared', async () => {
    const s = setup({ handshake: 'silent', peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.peers).toHaveLength(0);
    s.answerHandshake();
    await until('link to B', () => s.peers.length === 1);
    expect(s.peers[0]!.opts.config.iceServers).toEqual([{ urls: ['stun:x'] }]); // the join's
  });

  it('a join answered before it is prepared: the usual connection, nothing left behind', async () => {
    const s = setup({ handshake: true, bootIce, peers: [{ id: B, name: 'Bea' }] });
    s.room.start(); // the fake answers the handshake in a microtask, before the next task
    await until('link to B', () => s.room.peers.get(B)?.link != null);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.peers).toHaveLength(1);
    expect(s.peers[0]!.destroyed).toBe(false);
  });
});
