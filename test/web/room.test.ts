/**
 * Room logic without a browser: a fake Socket.IO socket (the test plays the server) and fake
 * simple-peer instances. Covers the initiator rule, roster convergence on resume, replacement of
 * failed links with fresh ICE servers (bounded), and join errors.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerFactoryOptions, SimplePeerLike } from '../../web/src/core/peer-link.js';
import { backoffPolicy } from '../../web/src/core/retry.js';
import { Room } from '../../web/src/core/room.js';
import type { SocketLike } from '../../web/src/core/signaling.js';

type Ack = (res: unknown) => void;

class FakeSocket implements SocketLike {
  connected = false;
  sent: Array<{ event: string; payload: unknown }> = [];
  private handlers = new Map<string, Array<(...a: unknown[]) => void>>();
  constructor(public server: (event: string, payload: unknown, ack?: Ack) => void) {}
  connect() {
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
    });
  }
  disconnect() {
    this.connected = false;
  }
  on(event: string, fn: (...a: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, payload?: unknown, ack?: unknown) {
    this.sent.push({ event, payload });
    this.server(event, payload, ack as Ack | undefined);
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  joins() {
    return this.sent.filter((s) => s.event === 'join').map((s) => s.payload as Record<string, unknown>);
  }
}

let sessions = 100;
class FakePeer extends EventEmitter implements SimplePeerLike {
  connected = false;
  destroyed = false;
  signals: unknown[] = [];
  _channel = { readyState: 'connecting', bufferedAmount: 0, bufferedAmountLowThreshold: 0, addEventListener() {}, removeEventListener() {} } as unknown as RTCDataChannel;
  constructor(readonly opts: PeerFactoryOptions) {
    super();
    if (opts.initiator) queueMicrotask(() => this.emit('signal', { type: 'offer', sdp: `v=0\r\no=- ${++sessions} 2 IN IP4 0.0.0.0\r\n` }));
  }
  signal(d: unknown) {
    this.signals.push(d);
  }
  send() {}
  addStream() {}
  removeStream() {}
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
  open() {
    (this._channel as { readyState: string }).readyState = 'open';
    this.connected = true;
    this.emit('iceStateChange', 'connected', 'complete');
    this.emit('connect');
  }
  fail() {
    this.emit('error', Object.assign(new Error('Ice connection failed.'), { code: 'ERR_ICE_CONNECTION_FAILURE' }));
    this.destroyed = true;
    this.emit('close');
  }
}

const A = 'peer-aaaaaaaa';
const B = 'peer-bbbbbbbb';
const C = 'peer-cccccccc';
const tick = () => new Promise((r) => setTimeout(r, 5));
async function until(what: string, f: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await tick();
  }
}

function setup(opts: { peers?: Array<{ id: string; name: string }>; onJoin?: (req: Record<string, unknown>, n: number) => unknown } = {}) {
  const peers: FakePeer[] = [];
  let joinCount = 0;
  let iceFetches = 0;
  const socket = new FakeSocket((event, payload, ack) => {
    if (event === 'join') {
      const req = payload as Record<string, unknown>;
      const custom = opts.onJoin?.(req, joinCount++);
      ack!(custom ?? { ok: true, peerId: A, resumeKey: 'key-1', room: 'r1', capacity: 4, peers: opts.peers ?? [], iceServers: [{ urls: ['stun:x'] }], resumed: !!req.resume });
    } else if (event === 'ice-servers') {
      iceFetches++;
      ack!({ ok: true, iceServers: [{ urls: [`turn:x?${iceFetches}`], username: 'u', credential: 'c' }], ttl: 60 });
    }
  });
  const room = new Room({
    room: 'r1',
    name: 'Me',
    socket,
    peerFactory: (o) => {
      const p = new FakePeer(o);
      peers.push(p);
      return p;
    },
    peerRetryPolicy: backoffPolicy({ maxAttempts: 3, baseMs: 1, maxMs: 1 }),
    signalingRetryPolicy: () => 1,
    statsIntervalMs: 60_000,
  });
  rooms.push(room);
  return { room, socket, peers, iceFetches: () => iceFetches };
}

const rooms: Room[] = [];
afterEach(() => {
  for (const r of rooms.splice(0)) r.leave();
});

describe('room logic', () => {
  it('the newcomer initiates to every listed peer; a later peer is waited for', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('initiator link', () => peers.length === 1);
    expect(peers[0]!.opts.initiator).toBe(true);
    await until('offer sent', () => socket.sent.some((s) => s.event === 'signal'));
    expect(socket.sent.find((s) => s.event === 'signal')!.payload).toMatchObject({ to: B, data: { type: 'offer' } });

    socket.fire('peer-joined', { id: C, name: 'Cy', resumed: false });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.get(C)!.conn).toBe('waiting');
    const offer = { type: 'offer', sdp: 'v=0\r\no=- 999 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: C, data: offer });
    await until('answering link', () => peers.length === 2);
    expect(peers[1]!.opts.initiator).toBe(false);
    expect(peers[1]!.signals).toEqual([offer]);
    // The answering side fetched fresh ICE servers for its new connection.
    expect(peers[1]!.opts.config.iceServers![0]!.urls).toEqual(['turn:x?1']);
  });

  it('after a signaling drop: rejoins with resume, keeps the live connection, no duplicates', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    expect(room.peers.get(B)!.conn).toBe('connected');
    const gen = room.peers.get(B)!.link!.generation;

    socket.drop();
    expect(room.status).toBe('reconnecting');
    await until('rejoined', () => socket.joins().length === 2 && room.status === 'joined');
    expect(socket.joins()[1]).toMatchObject({ room: 'r1', resume: { peerId: A, key: 'key-1' } });
    expect(room.resumes).toBe(1);
    // B is also back (resumed): no new link, same connection, one entry.
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: true });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.size).toBe(1);
    expect(room.peers.get(B)!.link!.generation).toBe(gen);
    expect(room.peers.get(B)!.conn).toBe('connected');
  });

  it('keeps a live connection to a peer that has not rejoined the restarted server yet', async () => {
    const { room, socket, peers } = setup({
      peers: [{ id: B, name: 'Bea' }],
      onJoin: (req, n) => (n === 0 ? undefined : { ok: true, peerId: A, resumeKey: 'key-2', room: 'r1', capacity: 4, peers: [], iceServers: [], resumed: !!req.resume }),
    });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    socket.drop();
    await until('rejoined', () => socket.joins().length === 2 && room.status === 'joined');
    expect(room.peers.get(B)!.conn).toBe('connected');
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: true });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.size).toBe(1);
    // A third reconnect uses the newest key.
    socket.drop();
    await until('rejoined again', () => socket.joins().length === 3);
    expect(socket.joins()[2]).toMatchObject({ resume: { peerId: A, key: 'key-2' } });
  });

  it('replaces a failed link with fresh ICE servers, a bounded number of times', async () => {
    const { room, peers, iceFetches } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    for (let i = 1; i <= 3; i++) {
      peers[i - 1]!.fail();
      await until(`replacement ${i}`, () => peers.length === i + 1);
      expect(peers[i]!.opts.initiator).toBe(true);
      expect(peers[i]!.opts.config.iceServers![0]!.urls).toEqual([`turn:x?${i}`]);
    }
    expect(iceFetches()).toBe(3);
    peers[3]!.fail();
    await until('gives up', () => room.peers.get(B)!.conn === 'failed');
    expect(peers).toHaveLength(4);
  });

  it('a fresh offer from the initiator replaces a dead link; a renegotiation offer does not', async () => {
    const { room, socket, peers } = setup();
    room.start();
    await until('joined', () => room.status === 'joined');
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: false });
    const offer1 = { type: 'offer', sdp: 'v=0\r\no=- 500 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: offer1 });
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    // Same session, new version: renegotiation (e.g. video added).
    const reneg = { type: 'offer', sdp: 'v=0\r\no=- 500 3 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: reneg });
    await tick();
    expect(peers).toHaveLength(1);
    expect(peers[0]!.signals).toEqual([offer1, reneg]);
    // New session: the initiator replaced its connection.
    const offer2 = { type: 'offer', sdp: 'v=0\r\no=- 777 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: offer2 });
    const cand = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.2 9 typ host', sdpMLineIndex: 0, sdpMid: '0' } };
    socket.fire('signal', { from: B, data: cand }); // arrives while ICE servers are fetched: queued
    await until('replacement', () => peers.length === 2);
    expect(peers[0]!.destroyed).toBe(true);
    expect(peers[1]!.signals).toEqual([offer2, cand]);
  });

  it('room full: says so and stops; a rejected resume starts a fresh session', async () => {
    const full = setup({ onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'room is full' } }) });
    full.room.start();
    await until('room-full', () => full.room.status === 'room-full');
    expect(full.socket.connected).toBe(false);

    const { room, socket } = setup({
      onJoin: (req, n) => (n === 1 && req.resume ? { ok: false, error: { code: 'unauthorized', message: 'bad resume key' } } : undefined),
    });
    room.start();
    await until('joined', () => room.status === 'joined');
    socket.drop();
    await until('fresh join', () => socket.joins().length === 3 && room.status === 'joined');
    expect(socket.joins()[1]!.resume).toBeDefined();
    expect(socket.joins()[2]!.resume).toBeUndefined();
  });

  it('server unreachable: reports it while retrying, then joins when the server comes', async () => {
    const { room, socket } = setup();
    let up = false;
    socket.connect = () => {
      queueMicrotask(() => {
        if (!up) return socket.fire('connect_error', new Error('xhr poll error'));
        socket.connected = true;
        socket.fire('connect');
      });
    };
    room.start();
    await until('unreachable', () => room.status === 'unreachable');
    up = true;
    await until('joined', () => room.status === 'joined');
  });

  it('signals produced while signaling is down are sent after the rejoin', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    socket.drop();
    const before = socket.sent.filter((x) => x.event === 'signal').length;
    peers[0]!.emit('signal', { type: 'offer', sdp: 'v=0\r\no=- 101 3 IN IP4 0.0.0.0\r\n' }); // renegotiation
    expect(socket.sent.filter((x) => x.event === 'signal')).toHaveLength(before);
    await until('rejoined', () => room.status === 'joined' && socket.joins().length === 2);
    const after = socket.sent.filter((x) => x.event === 'signal');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.payload).toMatchObject({ to: B, data: { type: 'offer' } });
  });
});
