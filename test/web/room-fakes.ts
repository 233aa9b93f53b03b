/**
 * A room without a browser, for the room tests: a fake Socket.IO socket (the test plays the
 * server) and fake simple-peer instances. `setup` builds a RoomSession on them (and its public
 * `Room`) and leaves it on teardown.
 */
import { EventEmitter } from 'node:events';
import { afterEach } from 'vitest';
import type { IceServer } from '../../server/protocol/events.js';
import type { PeerFactoryOptions, SimplePeerLike } from '../../web/src/core/peer-link.js';
import { backoffPolicy } from '../../web/src/core/retry.js';
import { Room } from '../../web/src/core/client.js';
import { RoomSession, type RoomOptions } from '../../web/src/core/room.js';
import type { SocketLike } from '../../web/src/core/signaling.js';

type Ack = (res: unknown) => void;

export class FakeSocket implements SocketLike {
  connected = false;
  sent: Array<{ event: string; payload: unknown }> = [];
  private handlers = new Map<string, Array<(...a: unknown[]) => void>>();
  /** Runs before each connection attempt (Socket.IO calls `auth` then). */
  beforeConnect: (() => void) | null = null;
  /** Runs after each 'connect' (a server answering a join sent in the handshake). */
  onConnect: (() => void) | null = null;
  constructor(public server: (event: string, payload: unknown, ack?: Ack) => void) {}
  connect() {
    this.beforeConnect?.();
    queueMicrotask(() => {
      this.connected = true;
      this.fire('connect');
      this.onConnect?.();
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

/** The RTCPeerConnection under a FakePeer: what an ICE restart uses of it. */
export class FakePc extends EventTarget {
  iceConnectionState = 'new';
  connectionState = 'new';
  config: RTCConfiguration = {};
  /** `restartIce()` calls. */
  restarts = 0;
  getConfiguration() {
    return this.config;
  }
  setConfiguration(c: RTCConfiguration) {
    this.config = c;
  }
  restartIce() {
    this.restarts++;
  }
  /** The senders of tracks added with `addTrack` (a shared screen; no camera in these fakes). */
  transceivers: Array<{ sender: { track: unknown; replaceTrack(t: unknown): Promise<void> }; mid: string | null }> = [];
  getSenders(): RTCRtpSender[] {
    return this.transceivers.map((t) => t.sender) as unknown as RTCRtpSender[];
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return this.transceivers as unknown as RTCRtpTransceiver[];
  }
  /** A negotiation gives the transceivers without one a mid (as setLocalDescription does). */
  assignMids(): void {
    for (const [i, t] of this.transceivers.entries()) t.mid ??= String(i + 1);
    this.dispatchEvent(new Event('signalingstatechange'));
  }
  signalingState: RTCSignalingState = 'stable';
  rollbacks = 0;
  async setLocalDescription(d: { type: string }) {
    if (d.type === 'rollback') {
      this.rollbacks++;
      this.signalingState = 'stable';
    }
  }
}

let sessions = 100;
let ufrags = 0;
export class FakePeer extends EventEmitter implements SimplePeerLike {
  connected = false;
  destroyed = false;
  signals: unknown[] = [];
  _pc = new FakePc() as unknown as RTCPeerConnection;
  readonly session = ++sessions;
  /** Offers made on this connection (the first, then one per `negotiate()`). */
  offers = 0;
  _channel = { readyState: 'connecting', bufferedAmount: 0, bufferedAmountLowThreshold: 0, addEventListener() {}, removeEventListener() {} } as unknown as RTCDataChannel;
  constructor(readonly opts: PeerFactoryOptions) {
    super();
    if (opts.initiator) queueMicrotask(() => this.offer());
  }
  get pc(): FakePc {
    return this._pc as unknown as FakePc;
  }
  /** An offer of this connection's session, with new ICE credentials each time (as after restartIce()). */
  private offer() {
    this.offers++;
    this.emit('signal', { type: 'offer', sdp: `v=0\r\no=- ${this.session} ${this.offers + 1} IN IP4 0.0.0.0\r\na=ice-ufrag:u${++ufrags}\r\n` });
  }
  /** simple-peer's renegotiation: the initiator offers, the other side would ask for one. */
  negotiate() {
    if (this.opts.initiator) queueMicrotask(() => this.offer());
  }
  /** As simple-peer's own handlers: report the state; `failed` destroys the peer. */
  _onIceStateChange() {
    this.emit('iceStateChange', this.pc.iceConnectionState, 'complete');
    if (this.pc.iceConnectionState === 'failed') this.fail();
  }
  _onConnectionStateChange() {
    if (this.pc.connectionState === 'failed') this.fail();
  }
  /** The browser's ICE (and connection) state changes to `state`, through simple-peer's handlers. */
  ice(state: 'checking' | 'connected' | 'disconnected' | 'failed') {
    this.pc.iceConnectionState = state;
    this._onIceStateChange();
    this.pc.connectionState = state;
    this._onConnectionStateChange();
  }
  signal(d: unknown) {
    this.signals.push(d);
  }
  /** What the room sent on the data channel. */
  sent: Array<string | Uint8Array> = [];
  send(d: string | Uint8Array) {
    this.sent.push(d);
  }
  /** The control messages sent (JSON texts, parsed). */
  sentControl(): Array<Record<string, unknown>> {
    return this.sent.filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d) as Record<string, unknown>);
  }
  addStream() {}
  removeStream() {}
  /** Tracks added (simple-peer's addTrack: a sender of its own). */
  added: unknown[] = [];
  addTrack(track: MediaStreamTrack) {
    this.added.push(track);
    const sender = { track: track as unknown, replaceTrack: async (t: unknown) => void (sender.track = t) };
    this.pc.transceivers.push({ sender, mid: null });
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
  open() {
    (this._channel as { readyState: string }).readyState = 'open';
    this.connected = true;
    this.pc.iceConnectionState = 'connected';
    this.pc.connectionState = 'connected';
    this.emit('iceStateChange', 'connected', 'complete');
    this.emit('connect');
  }
  fail() {
    if (this.destroyed) return;
    this.emit('error', Object.assign(new Error('Ice connection failed.'), { code: 'ERR_ICE_CONNECTION_FAILURE' }));
    this.destroyed = true;
    this.emit('close');
  }
}

export const A = 'peer-aaaaaaaa';
export const B = 'peer-bbbbbbbb';
export const C = 'peer-cccccccc';
export const tick = () => new Promise((r) => setTimeout(r, 5));
export async function until(what: string, f: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await tick();
  }
}

export interface SetupOptions {
  peers?: Array<{ id: string; name: string }>;
  onJoin?: (req: Record<string, unknown>, n: number) => unknown;
  /** ICE servers of a successful join ack (default: one STUN server). */
  joinIce?: IceServer[];
  /**
   * Join in the handshake: after each connect the fake server answers `joined` for what
   * `room.joinRequest()` says (as Socket.IO's `auth` callback would have sent it); `'silent'`
   * leaves it to the test (`answerHandshake()`), or unanswered.
   */
  handshake?: true | 'silent';
  /** The page's boot ICE servers (RoomOptions.iceServers). */
  bootIce?: IceServer[];
  /** `join` events wait in `heldJoins` until the test answers them (a slow server). */
  holdJoins?: boolean;
  /** RoomOptions.negotiationTimeoutMs (default: the room's own, 20 s). */
  negotiationTimeoutMs?: number;
  /** The first n peer connections fail to construct (the browser refusing one). */
  failPeers?: number;
  /** More RoomOptions (the ICE restart's, say). */
  room?: Partial<RoomOptions>;
  /** `ice-servers` requests go unanswered (a dead signaling connection that looks alive). */
  holdIceServers?: () => boolean;
}

/** `ice-servers` answers TURN credentials `u` (no expiry), urls `turn:x?<n>` for the n-th request. */
export function setup(opts: SetupOptions = {}) {
  const peers: FakePeer[] = [];
  let joinCount = 0;
  let failed = 0;
  let iceFetches = 0;
  const answerJoin = (req: Record<string, unknown>) =>
    opts.onJoin?.(req, joinCount++) ?? { ok: true, peerId: A, resumeKey: 'key-1', room: 'r1', capacity: 4, peers: opts.peers ?? [], iceServers: opts.joinIce ?? [{ urls: ['stun:x'] }], resumed: !!req.resume };
  const heldJoins: Array<{ req: Record<string, unknown>; answer: (res?: unknown) => void }> = [];
  const socket = new FakeSocket((event, payload, ack) => {
    if (event === 'join') {
      const req = payload as Record<string, unknown>;
      if (opts.holdJoins) heldJoins.push({ req, answer: (res) => ack!(res ?? answerJoin(req)) });
      else ack!(answerJoin(req));
    } else if (event === 'ice-servers') {
      if (opts.holdIceServers?.()) return;
      iceFetches++;
      ack!({ ok: true, iceServers: [{ urls: [`turn:x?${iceFetches}`], username: 'u', credential: 'c' }], ttl: 60 });
    }
  });
  const room = new RoomSession({
    room: 'r1',
    name: 'Me',
    socket,
    peerFactory: (o) => {
      if (failed < (opts.failPeers ?? 0)) {
        failed++;
        throw new Error('Failed to construct RTCPeerConnection');
      }
      const p = new FakePeer(o);
      peers.push(p);
      return p;
    },
    peerRetryPolicy: backoffPolicy({ maxAttempts: 3, baseMs: 1, maxMs: 1 }),
    signalingRetryPolicy: () => 1,
    joinRetryPolicy: () => 1,
    ...(opts.negotiationTimeoutMs !== undefined ? { negotiationTimeoutMs: opts.negotiationTimeoutMs } : {}),
    statsIntervalMs: 60_000,
    joinInHandshake: opts.handshake !== undefined,
    iceServers: opts.bootIce,
    ...opts.room,
  });
  // What Socket.IO's `auth` callback sent (open-room.ts calls handshakeJoinRequest there).
  let sentInHandshake: Record<string, unknown> | null = null;
  socket.beforeConnect = () => void (sentInHandshake = opts.handshake ? { ...room.handshakeJoinRequest() } : null);
  const answerHandshake = () => socket.fire('joined', answerJoin(sentInHandshake ?? {}));
  if (opts.handshake === true) socket.onConnect = answerHandshake;
  rooms.push(room);
  // The public face of the same room (what joinRoom returns), for the page's modules.
  const client = new Room(room);
  return { room, client, socket, peers, iceFetches: () => iceFetches, answerHandshake, heldJoins };
}

const rooms: RoomSession[] = [];
afterEach(() => {
  for (const r of rooms.splice(0)) r.leave();
});

