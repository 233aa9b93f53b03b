/**
 * ICE restart in place (web/src/core/ice-restart.ts): a connected link that loses its path keeps
 * its peer connection (data channel, tracks) and restarts ICE with fresh TURN credentials; the
 * non-initiator asks the initiator over signaling; a restart that does not connect in time falls
 * back to a new connection. Fake simple-peer instances with a fake RTCPeerConnection under them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { PeerRecovery } from '../../web/src/core/client-types.js';
import { checkJoinOptions } from '../../web/src/core/join-options.js';
import { A, B, type FakePeer, setup, until } from './room-fakes.js';

const sdp = (ufrag: string) => `v=0\r\no=- 900 2 IN IP4 0.0.0.0\r\na=ice-ufrag:${ufrag}\r\n`;

/** A room that initiated to B (B was in the room) and is connected. */
async function connectedInitiator(room: Parameters<typeof setup>[0] = {}) {
  const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], ...room });
  const steps: PeerRecovery[] = [];
  s.client.on('peer-recovery', (_p, r) => steps.push(r));
  s.room.start();
  await until('link to B', () => s.peers.length === 1);
  const peer = s.peers[0]!;
  await until('offer sent', () => offersTo(s, B) === 1);
  s.socket.fire('signal', { from: B, data: { type: 'answer', sdp: sdp('b1') } });
  peer.open();
  await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
  return { ...s, peer, steps };
}

/** A room B joined after it (so B initiates), connected. */
async function connectedAnswerer(room: Parameters<typeof setup>[0] = {}) {
  const s = setup({ handshake: true, ...room });
  const steps: PeerRecovery[] = [];
  s.client.on('peer-recovery', (_p, r) => steps.push(r));
  s.room.start();
  await until('joined', () => s.room.status === 'joined');
  s.socket.fire('peer-joined', { id: B, name: 'Bea', resumed: false });
  s.socket.fire('signal', { from: B, data: { type: 'offer', sdp: sdp('b1') } });
  await until('link to B', () => s.peers.length === 1);
  const peer = s.peers[0]!;
  peer.open();
  await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
  return { ...s, peer, steps };
}

function offersTo(s: ReturnType<typeof setup>, to: string): number {
  return s.socket.sent.filter((m) => m.event === 'signal' && (m.payload as { to: string; data: { type?: string } }).to === to && (m.payload as { data: { type?: string } }).data.type === 'offer').length;
}

function requestsTo(s: ReturnType<typeof setup>, to: string): number {
  return s.socket.sent.filter((m) => m.event === 'signal' && JSON.stringify(m.payload) === JSON.stringify({ to, data: { iceRestart: true } })).length;
}

const alive = (p: FakePeer) => !p.destroyed;

describe('ICE restart in place, initiator', () => {
  it('ICE failed: the same connection restarts at once with the cached credentials (still reusable), fetches fresh ones for later, and recovers', async () => {
    const s = await connectedInitiator();
    const generation = s.client.peer(B)!.generation;
    const fetchesBefore = s.iceFetches();
    s.peer.ice('failed');
    expect(alive(s.peer)).toBe(true); // simple-peer would have destroyed it
    expect(s.client.peer(B)!.state).toBe('reconnecting');
    await until('restart offer', () => offersTo(s, B) === 2);
    expect(s.iceFetches()).toBe(fetchesBefore + 1);
    expect(s.peer.pc.restarts).toBe(1);
    // The join's servers: reusable for a minute (no expiry in them), so no round trip first.
    expect(s.peer.pc.config.iceServers).toEqual([{ urls: ['stun:x'] }]);
    s.socket.fire('signal', { from: B, data: { type: 'answer', sdp: sdp('b2') } });
    s.peer.ice('checking');
    expect(s.client.peer(B)!.state).toBe('reconnecting');
    s.peer.ice('connected');
    expect(s.client.peer(B)!.state).toBe('connected');
    expect(s.peers).toHaveLength(1);
    expect(alive(s.peer)).toBe(true);
    expect(s.client.peer(B)!.generation).toBe(generation);
    expect(s.steps.map((r) => [r.phase, r.reason])).toEqual([['restarting', 'ice-failed'], ['recovered', 'ice-failed']]);
    expect(s.client.recoveries).toEqual({ restarts: 1, recovered: 1, replaced: 0 });
  });

  it('ICE disconnected: back within the grace is nothing; past it, a restart', async () => {
    const s = await connectedInitiator({ room: { iceDisconnectedGraceMs: 40 } });
    s.peer.ice('disconnected');
    s.peer.ice('connected');
    await new Promise((r) => setTimeout(r, 80)); // twice the grace
    expect(s.client.recoveries.restarts).toBe(0);
    expect(offersTo(s, B)).toBe(1);
    s.peer.ice('disconnected');
    expect(s.client.peer(B)!.state).toBe('connected'); // within the grace
    await until('restart offer', () => offersTo(s, B) === 2);
    expect(s.steps.map((r) => r.reason)).toEqual(['ice-disconnected']);
    expect(s.client.peer(B)!.state).toBe('reconnecting');
  });

  it('a restart not connected within the bound falls back to a new connection', async () => {
    const s = await connectedInitiator({ room: { iceRestartTimeoutMs: 40 } });
    const errors: Array<string | null> = [];
    s.client.on('peer-state', (p) => errors.push(p.error));
    s.peer.ice('failed');
    await until('replaced', () => s.peers.length === 2);
    expect(s.peer.destroyed).toBe(true);
    expect(s.client.recoveries).toEqual({ restarts: 1, recovered: 0, replaced: 1 });
    expect(s.steps.map((r) => r.phase)).toEqual(['restarting', 'replaced']);
    expect(errors).toContainEqual(expect.stringMatching(/ICE restart \(ice-failed\) did not connect within 40 ms/));
    s.peers[1]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
  });

  it("the peer's request restarts, a second trigger at once is the same restart", async () => {
    const s = await connectedInitiator();
    s.socket.fire('signal', { from: B, data: { iceRestart: true } });
    s.socket.fire('signal', { from: B, data: { iceRestart: true } });
    await until('restart offer', () => offersTo(s, B) === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(offersTo(s, B)).toBe(2);
    expect(s.steps.map((r) => [r.phase, r.reason])).toEqual([['restarting', 'peer-asked']]);
    // ICE never left `connected` on this side: the answer's new credentials complete it.
    s.socket.fire('signal', { from: B, data: { type: 'answer', sdp: sdp('b2') } });
    expect(s.client.peer(B)!.state).toBe('connected');
    expect(s.client.recoveries).toEqual({ restarts: 1, recovered: 1, replaced: 0 });
  });

  it('a restart offer left unanswered (lost) is rolled back before the next restart offers', async () => {
    const s = await connectedInitiator();
    s.peer.ice('failed');
    await until('restart offer', () => offersTo(s, B) === 2);
    s.peer.pc.signalingState = 'have-local-offer'; // its answer never comes
    await new Promise((r) => setTimeout(r, 1100)); // past the "same restart" second
    s.socket.fire('signal', { from: B, data: { iceRestart: true } });
    await until('second restart offer', () => offersTo(s, B) === 3);
    expect(s.peer.pc.rollbacks).toBe(1);
    expect(s.peer.pc.restarts).toBe(2);
  });

  it('a network change restarts every connected link', async () => {
    let change = () => {};
    let subscribed = 0;
    const s = await connectedInitiator({
      room: {
        networkChanges: (fn) => {
          change = fn;
          subscribed++;
          return () => subscribed--;
        },
      },
    });
    expect(subscribed).toBe(1);
    change();
    change(); // `online` and `connection` change together
    await until('restart offer', () => offersTo(s, B) === 2);
    expect(s.steps.map((r) => r.reason)).toEqual(['network-change']);
    expect(s.peer.pc.restarts).toBe(1);
    s.room.leave();
    expect(subscribed).toBe(0);
  });

  it('media that stops arriving restarts before ICE notices; idle data-only links are left alone', async () => {
    const s = await connectedInitiator();
    const e = s.room.peers.get(B)!;
    const link = e.link!;
    const t0 = Date.now();
    const at = (ms: number) => vi.spyOn(Date, 'now').mockReturnValue(t0 + ms);
    try {
      // No media from B: nothing is expected on the wire, however long.
      s.room.restarts.onStats(e, link, 100, false);
      at(10_000);
      s.room.restarts.onStats(e, link, 100, false);
      // Media flowing: growing counts are fine, 1 s without growth is a lost path.
      at(11_000);
      s.room.restarts.onStats(e, link, 200, true);
      at(12_000);
      s.room.restarts.onStats(e, link, 300, true);
      at(12_900);
      s.room.restarts.onStats(e, link, 300, true);
      expect(s.client.recoveries.restarts).toBe(0);
      at(13_100);
      s.room.restarts.onStats(e, link, 300, true);
    } finally {
      vi.restoreAllMocks();
    }
    expect(s.steps.map((r) => [r.phase, r.reason])).toEqual([['restarting', 'media-stalled']]);
    await until('restart offer', () => offersTo(s, B) === 2);
  });

  it('a link that never connected still fails and is replaced (nothing to keep)', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    s.peers[0]!.ice('failed');
    expect(s.peers[0]!.destroyed).toBe(true);
    await until('replaced', () => s.peers.length === 2);
    expect(s.client.recoveries.restarts).toBe(0);
  });

  it('signaling that does not answer is reconnected, and the restart offer goes after the rejoin', async () => {
    let hold = false;
    const s = await connectedInitiator({ holdIceServers: () => hold });
    hold = true;
    const connects = s.client.connection.connects;
    s.peer.ice('failed');
    await until('reconnected', () => s.client.connection.connects === connects + 1, 4000);
    await until('rejoined', () => s.room.status === 'joined');
    expect(s.socket.joins().length === 0 || s.socket.joins().every((j) => j.resume)).toBe(true);
    await until('restart offer after the rejoin', () => offersTo(s, B) === 2);
    expect(alive(s.peer)).toBe(true);
    expect(s.room.selfId).toBe(A);
  });
});

describe('ICE restart in place, the other side', () => {
  it('with cached credentials too old to reuse, waits for fresh ones, then asks the initiator over signaling; its answer completes the restart', async () => {
    const s = await connectedAnswerer();
    const real = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => real() + 61_000); // past the cache's reuse (NO_EXPIRY_REUSE_MS)
    s.peer.ice('failed');
    expect(alive(s.peer)).toBe(true);
    await until('asked', () => requestsTo(s, B) === 1);
    expect(s.peer.pc.restarts).toBe(0); // the initiator restarts; the answer brings this side's new credentials
    expect(s.peer.pc.config.iceServers?.[0]?.urls).toEqual([`turn:x?${s.iceFetches()}`]);
    s.socket.fire('signal', { from: B, data: { type: 'offer', sdp: sdp('b2') } }); // same session: renegotiation
    expect(s.peers).toHaveLength(1);
    expect(s.peer.signals.at(-1)).toEqual({ type: 'offer', sdp: sdp('b2') });
    s.peer.ice('connected');
    expect(s.client.peer(B)!.state).toBe('connected');
    expect(s.client.recoveries).toEqual({ restarts: 1, recovered: 1, replaced: 0 });
    vi.restoreAllMocks();
  });

  it('a request from a peer this side answered is ignored (only the initiator restarts)', async () => {
    const s = await connectedAnswerer();
    s.socket.fire('signal', { from: B, data: { iceRestart: true } });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.client.recoveries.restarts).toBe(0);
    expect(s.peer.signals).not.toContainEqual({ iceRestart: true }); // never handed to simple-peer
  });
});

describe('signaling that stopped answering', () => {
  it('is recycled by closing its transport (a drop the server keeps for the resume), not by leaving', async () => {
    const { FakeSocket } = await import('./room-fakes.js');
    const { SignalingClient } = await import('../../web/src/core/signaling.js');
    const socket = new FakeSocket(() => {});
    let closed = 0;
    let disconnects = 0;
    Object.assign(socket, { io: { engine: { close: () => void closed++ } } });
    const orig = socket.disconnect.bind(socket);
    socket.disconnect = () => (disconnects++, orig());
    const sig = new SignalingClient(socket, () => 1);
    sig.start();
    await until('connected', () => sig.connected);
    sig.recycle();
    expect([closed, disconnects]).toEqual([1, 0]);
    socket.drop(); // what the closed transport makes the socket say
    await until('reconnected', () => sig.connects === 2);
    sig.close();
  });
});

describe('options', () => {
  it('the grace and the bound are checked', () => {
    const base = { url: 'http://localhost:3000', room: 'r1' };
    expect(checkJoinOptions({ ...base, iceDisconnectedGraceMs: 0, iceRestartTimeoutMs: 5000 })).toMatchObject({ iceDisconnectedGraceMs: 0, iceRestartTimeoutMs: 5000 });
    expect(() => checkJoinOptions({ ...base, iceDisconnectedGraceMs: -1 })).toThrow(/iceDisconnectedGraceMs.*0 to 60000/);
    expect(() => checkJoinOptions({ ...base, iceRestartTimeoutMs: 500 })).toThrow(/iceRestartTimeoutMs.*1000 to 120000/);
    expect(() => checkJoinOptions({ ...base, iceRestartTimeoutMs: '10s' })).toThrow(/iceRestartTimeoutMs/);
  });
});
