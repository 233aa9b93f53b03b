/**
 * The public face of a room (`switchboard/client`): {@link joinRoom} and {@link Room}. A thin layer
 * over the internal RoomSession (room.ts): it validates what callers pass, turns the session's
 * state into snapshots, and its changes into typed events (peer and file events are found by
 * comparing snapshots on every change, so none is missed whatever path changed the state).
 */
import SimplePeer from 'simple-peer';
import { io } from 'socket.io-client';
import type { ConnectionInfo, FileInput, FileTransfer, JoinRoomOptions, MediaState, PeerInfo, RecoveryStats, RoomEventMap, RoomState, SendOptions } from './client-types.js';
import { Emitter } from './emitter.js';
import { SwitchboardError, type ErrorCode } from './errors.js';
import { isName } from './framing.js';
import { browserNetworkChanges } from './network-changes.js';
import { checkJoinOptions, isDisplayName } from './join-options.js';
import type { MessageData } from './messages.js';
import type { PeerFactory } from './peer-link.js';
import { RoomSession, type PeerEntry } from './room.js';
import type { SocketLike } from './signaling.js';
import { blobSource, type FileSource } from './transfer.js';
import { checkVideoLimits, type VideoLimits } from './video-limits.js';
import { warmUpWebRtc } from './webrtc-warmup.js';

function peerInfo(e: PeerEntry): PeerInfo {
  const connected = e.conn === 'connected';
  return {
    id: e.id,
    name: e.name,
    state: e.conn,
    path: connected && e.stats ? e.stats.path : 'unknown',
    rttMs: connected ? (e.stats?.rttMs ?? null) : null,
    stats: e.stats ? { ...e.stats } : null,
    media: { ...e.media },
    protocol: e.protocol,
    stream: e.stream,
    screen: e.screen,
    attempts: e.attempts,
    error: e.error,
    initiator: e.link ? e.link.initiator : null,
    iceState: e.link ? e.link.iceState : null,
    generation: e.link ? e.link.generation : null,
  };
}

/** What makes a peer's snapshot worth a `peer-state` event. */
const peerKey = (p: PeerInfo) => `${p.state}|${p.path}|${p.name}`;

/** The receiver's limits on a file's name and type (framing.ts `file-offer`): checked before sending. */
function checkedSource(src: FileSource): FileSource {
  if (src.name.length === 0 || !isName(src.name, 512)) {
    throw new SwitchboardError('invalid-argument', 'sendFile(): the file name must be 1-512 characters without control characters');
  }
  if (src.type.length > 256) throw new SwitchboardError('invalid-argument', 'sendFile(): the MIME type is longer than 256 characters');
  return src;
}

function fileSource(file: FileInput): FileSource {
  if (typeof Blob !== 'undefined' && file instanceof Blob) return checkedSource(blobSource(file));
  const f = file as { name?: unknown; data?: unknown; type?: unknown };
  if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || f.name.length === 0 || f.name.length > 512) {
    throw new SwitchboardError('invalid-argument', 'sendFile() takes a Blob or File, or { name, data, type? } with a name of 1-512 characters');
  }
  if (!(f.data instanceof Uint8Array) && !(f.data instanceof ArrayBuffer)) throw new SwitchboardError('invalid-argument', 'sendFile(): `data` must be a Uint8Array or an ArrayBuffer');
  if (f.type !== undefined && (typeof f.type !== 'string' || f.type.length > 256)) throw new SwitchboardError('invalid-argument', 'sendFile(): `type` must be a MIME type string');
  const bytes = f.data instanceof Uint8Array ? f.data : new Uint8Array(f.data);
  return checkedSource({ name: f.name, size: bytes.length, type: (f.type as string | undefined) || 'application/octet-stream', read: async (off, len) => bytes.subarray(off, off + len) });
}

/**
 * A room this client is in: a full mesh of peer connections to everyone else in it, kept up
 * across network and server hiccups (the server connection resumes under the same peer id;
 * failed peer connections are replaced with fresh TURN credentials). Get one from
 * {@link joinRoom}. Getters return snapshots; listen with {@link Room.on}.
 */
export class Room extends Emitter<RoomEventMap> {
  private lastState: RoomState;
  private lastPeers = new Map<string, PeerInfo>();
  private readonly offered = new Set<string>();

  /** @internal Use {@link joinRoom}. */
  constructor(private readonly session: RoomSession) {
    super();
    this.lastState = this.state;
    session.on('change', () => this.onChange());
    session.on('message', (m) => this.emit('message', m));
    session.on('stream', (id, s) => this.emit('stream', id, s));
    session.on('screen', (id, s) => this.emit('screen', id, s));
    session.on('recovery', ({ peerId, phase, reason, ms }) => {
      const e = session.peers.get(peerId);
      if (e) this.emit('peer-recovery', peerInfo(e), { phase, reason, ms });
    });
    session.transfers.on('update', (t) => this.onTransfer(t));
    session.transfers.on('received', (t, blob) => this.emit('file-received', t, blob));
    session.on('join-failed', ({ code, message }) => this.emit('error', new SwitchboardError(code as ErrorCode, message)));
    session.on('peer-protocol-error', ({ peerId, message }) => this.emit('error', new SwitchboardError('protocol', message, peerId)));
    session.signaling.on('protocol-error', (e) => this.emit('error', new SwitchboardError(e.code, `${e.event}: ${e.message}`)));
  }

  /** The room's name. */
  get id(): string {
    return this.session.room;
  }
  /** Where the room stands (see {@link RoomState}); `state` events tell when it changes. */
  get state(): RoomState {
    const s = this.session.status;
    return s === 'idle' ? 'connecting' : s;
  }
  /** Why the room is `room-full`, `unauthorized` or `error`; null otherwise. */
  get error(): SwitchboardError | null {
    const s = this.session;
    return s.error === null ? null : new SwitchboardError((s.errorCode ?? 'internal') as ErrorCode, s.error);
  }
  /** This client's peer id, once joined. */
  get selfId(): string | null {
    return this.session.selfId;
  }
  /** The name others see (see {@link Room.setName}). */
  get name(): string {
    return this.session.name;
  }
  /** The room's capacity (peers at most), once joined. */
  get capacity(): number {
    return this.session.capacity;
  }
  /** Whether connections go through the TURN relay only (see {@link Room.setRelayOnly}). */
  get relayOnly(): boolean {
    return this.session.relayOnly;
  }
  /** Every other peer of the room. */
  get peers(): PeerInfo[] {
    return [...this.session.peers.values()].map(peerInfo);
  }
  /** One peer, by id. */
  peer(id: string): PeerInfo | undefined {
    const e = this.session.peers.get(id);
    return e && peerInfo(e);
  }
  /** The file transfers of this room, oldest first: every one under way, and the last 200 finished. */
  get transfers(): FileTransfer[] {
    return this.session.transfers.list();
  }
  /** This side's call state (see {@link Room.setLocalStream}). */
  get media(): MediaState {
    return { ...this.session.media };
  }
  /** The stream this side shares, or null (see {@link Room.setLocalStream}). */
  get localStream(): MediaStream | null {
    return this.session.localStream;
  }
  /** The screen this side shares, or null (see {@link Room.shareScreen}). */
  get screen(): MediaStream | null {
    return this.session.screen;
  }
  /** The signaling connection, for diagnostics. */
  get connection(): ConnectionInfo {
    const g = this.session.signaling;
    return { status: g.status, connected: g.connected, connects: g.connects, transport: g.transport };
  }
  /** Joins that resumed the previous session under the same peer id (after a reconnect). */
  get resumes(): number {
    return this.session.resumes;
  }
  /** ICE restarts of this room's connections so far, by outcome (a counter for your metrics). */
  get recoveries(): RecoveryStats {
    const c = this.session.restarts.counts;
    return { restarts: c.started, recovered: c.recovered, replaced: c.replaced };
  }
  /** Peers that left, newest last (at most 100). */
  get departed(): Array<{ id: string; name: string; at: number }> {
    return this.session.departed.map((d) => ({ ...d }));
  }
  /**
   * Protocol errors, newest last (at most 100): what the server refused of this client's requests
   * (a client bug if any appear), and data-channel messages from peers that broke the protocol.
   */
  get protocolErrors(): string[] {
    return [...this.session.protocolErrors];
  }

  /** Listens to `event`; returns a function that removes the listener. */
  override on<K extends keyof RoomEventMap>(event: K, fn: (...args: RoomEventMap[K]) => void): () => void {
    return super.on(event, fn);
  }
  /** Removes a listener added with {@link Room.on} or {@link Room.once}. */
  override off<K extends keyof RoomEventMap>(event: K, fn: (...args: RoomEventMap[K]) => void): void {
    super.off(event, fn);
  }
  /** Listens to the next `event` only; returns a function that removes the listener. */
  once<K extends keyof RoomEventMap>(event: K, fn: (...args: RoomEventMap[K]) => void): () => void {
    const off = super.on(event, (...args) => {
      off();
      fn(...args);
    });
    return off;
  }

  /**
   * Sends a message over the data channels: a string as text, a Uint8Array or ArrayBuffer as
   * bytes, anything else as JSON. To one peer (`{ to }`), or to every connected peer. Returns the
   * ids of the peers it went to (an empty list when nobody is connected).
   * @throws {SwitchboardError} `invalid-argument` (data that is none of those), `too-large` (over
   * {@link MESSAGE_MAX_BYTES}), `unknown-peer`, `not-connected` (`to`'s channel is not open), `left`.
   */
  send(data: MessageData, options: SendOptions = {}): string[] {
    return this.session.sendMessage(data, this.checkTo(options));
  }

  /**
   * Sends a file (a Blob or File, or `{ name, data, type? }`) to one peer or every connected
   * peer, in chunks with backpressure; the receiver checks its SHA-256. Resolves when every chunk
   * was handed to the channel; `file-progress` follows until the receiver's verdict (`done` and
   * `verified`, or `failed`).
   * @throws {SwitchboardError} (as a rejection) `invalid-argument`, `unknown-peer`, `not-connected`, `left`.
   */
  async sendFile(file: FileInput, options: SendOptions = {}): Promise<FileTransfer[]> {
    return this.session.sendFile(fileSource(file), this.checkTo(options));
  }

  /** Cancels a transfer in progress (either direction) and tells the peer. */
  cancelTransfer(key: string): void {
    this.session.transfers.cancel(key);
  }

  /** Shares a camera/microphone stream with every peer (null stops sharing); tracks are renegotiated. */
  setLocalStream(stream: MediaStream | null): void {
    if (stream !== null && (typeof stream !== 'object' || typeof (stream as { getTracks?: unknown }).getTracks !== 'function')) {
      throw new SwitchboardError('invalid-argument', 'setLocalStream() takes a MediaStream or null');
    }
    this.session.setLocalStream(stream);
  }

  /**
   * Shares a screen, window or tab beside the camera: `stream`'s video track (from
   * `navigator.mediaDevices.getDisplayMedia()`) goes to every peer as a second video track, which
   * they see as {@link PeerInfo.screen} (and a `screen` event), and to peers that join later.
   * Independent of {@link Room.setLocalStream}: with or without a call, with the camera on or off.
   * `null` stops sharing; so does the track ending (the browser's own "Stop sharing" control),
   * after which {@link Room.screen} is null and `change` fires. The track is not stopped here
   * (stop it yourself); the stream's other tracks (a tab's audio) are not sent. The first share
   * on a connection renegotiates it once; later ones and stopping do not.
   * @throws {SwitchboardError} `invalid-argument`: not a MediaStream with a live video track, or `left`.
   */
  shareScreen(stream: MediaStream | null): void {
    if (stream !== null) {
      const video = typeof stream === 'object' && typeof (stream as { getVideoTracks?: unknown }).getVideoTracks === 'function' ? stream.getVideoTracks()[0] : undefined;
      if (!video || video.readyState !== 'live') throw new SwitchboardError('invalid-argument', 'shareScreen() takes a MediaStream with a live video track (from getDisplayMedia), or null');
      if (this.session.status === 'left') throw new SwitchboardError('left', 'the room was left');
    }
    this.session.shareScreen(stream);
  }

  /** Mutes or unmutes the local stream's audio or video tracks (peers see it in `media`). */
  setTrackEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    if (kind !== 'audio' && kind !== 'video') throw new SwitchboardError('invalid-argument', "setTrackEnabled(): `kind` must be 'audio' or 'video'");
    this.session.setTrackEnabled(kind, enabled === true);
  }

  /**
   * Sends `track` (a camera or microphone just picked, say) in place of the shared stream's track
   * of the same kind, on every connection: `RTCRtpSender.replaceTrack`, no renegotiation. The
   * stream given to {@link Room.setLocalStream} then holds `track` instead of the old one, which
   * is not stopped (stop it yourself); `track` takes the old one's enabled state (muted stays
   * muted). Resolves when every connection sends it.
   * @throws {SwitchboardError} (as a rejection) `invalid-argument`: not a track, or the shared
   * stream has no track of its kind (share one with `setLocalStream` instead: that renegotiates).
   */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    if (typeof track !== 'object' || track === null || (track.kind !== 'audio' && track.kind !== 'video')) {
      throw new SwitchboardError('invalid-argument', 'replaceTrack() takes an audio or video MediaStreamTrack');
    }
    if (!(await this.session.replaceTrack(track))) {
      throw new SwitchboardError('invalid-argument', `replaceTrack(): the shared stream has no ${track.kind} track to replace (use setLocalStream)`);
    }
  }

  /**
   * Caps every outgoing video stream (bitrate, frame rate, resolution), through
   * `RTCRtpSender.setParameters`: no renegotiation. Applies to the connections there are and to
   * later ones; `null` lifts the caps. A mesh app lowers them as the room grows, so that the
   * uplink, which carries one copy per peer, stays within its budget.
   * @throws {SwitchboardError} `invalid-argument`, naming the field.
   */
  setVideoLimits(limits: VideoLimits | null): void {
    this.session.videoLimiter.set(checkVideoLimits(limits));
    this.session.setVideoLimitsChanged();
  }

  /** The caps set with {@link Room.setVideoLimits}, or null. */
  get videoLimits(): VideoLimits | null {
    return this.session.videoLimiter.current;
  }

  /** Changes the name others see (at most 64 characters). */
  setName(name: string): void {
    if (!isDisplayName(name)) {
      throw new SwitchboardError('invalid-argument', 'setName(): a name is a string of at most 64 characters without control characters');
    }
    this.session.setName(name);
  }

  /** Switches to relay-only (TURN) or back; every connection is replaced under the new policy. */
  setRelayOnly(on: boolean): void {
    if (typeof on !== 'boolean') throw new SwitchboardError('invalid-argument', 'setRelayOnly() takes true or false');
    this.session.setRelayOnly(on);
  }

  /** Leaves the room: closes every peer connection and the server connection. Idempotent. */
  leave(): void {
    this.session.leave();
  }

  private checkTo(options: SendOptions): string | undefined {
    if (typeof options !== 'object' || options === null) throw new SwitchboardError('invalid-argument', 'options must be an object such as { to: peerId }');
    return options.to;
  }

  private onTransfer(t: FileTransfer): void {
    if (t.direction === 'in' && !this.offered.has(t.key)) {
      this.offered.add(t.key);
      this.emit('file-offer', t);
    }
    if (t.state !== 'sending' && t.state !== 'receiving' && t.state !== 'verifying' && t.state !== 'paused') this.offered.delete(t.key);
    this.emit('file-progress', t);
  }

  private onChange(): void {
    // Peers first, then the state: `peer-joined` for the roster a join brought comes before the
    // `state` event that says `joined`, so a listener can tell them from later arrivals.
    const now = new Map(this.peers.map((p) => [p.id, p]));
    for (const [id, before] of this.lastPeers) if (!now.has(id)) this.emit('peer-left', before);
    for (const [id, p] of now) {
      const before = this.lastPeers.get(id);
      if (!before) this.emit('peer-joined', p);
      else if (peerKey(before) !== peerKey(p)) {
        this.emit('peer-state', p);
        if (p.state === 'failed') this.emit('error', new SwitchboardError('connection-failed', `the connection to ${p.name || p.id} failed: ${p.error ?? 'no path'}`, p.id));
      }
    }
    this.lastPeers = now;
    const state = this.state;
    if (state !== this.lastState) {
      this.lastState = state;
      this.emit('state', state);
    }
    this.emit('change');
  }
}

/**
 * Joins `room` on the Switchboard server at `url` and keeps a mesh of peer connections to everyone
 * in it. Returns at once; the room connects in the background (listen to `state`).
 *
 * `joinRoom({ url: 'https://calls.example.com', room: 'demo', name: 'Ada' })`, then
 * `room.on('message', ...)` and `room.send(...)`: see examples/vite-chat/main.js.
 * @throws {SwitchboardError} `invalid-argument`, naming the option, for an option it cannot take.
 */
export function joinRoom(options: JoinRoomOptions): Room {
  const o = checkJoinOptions(options);
  const wrtc = o.rtc as SimplePeer.Options['wrtc'];
  const peerFactory: PeerFactory = ({ initiator, config, streams }) =>
    new SimplePeer({ initiator, config, streams, trickle: true, objectMode: true, ...(wrtc ? { wrtc } : {}) }) as never;
  // The handshake carries the current join request (with `resume` after a reconnect): Socket.IO
  // calls `auth` on every connection attempt, by which time `session` is set.
  let session: RoomSession | undefined;
  const auth = (cb: (data: object) => void) => cb(session ? { join: session.handshakeJoinRequest() } : {});
  const socket = io(o.url, {
    path: o.path ?? '/socket.io',
    autoConnect: false,
    reconnection: false, // our own policy (signaling.ts)
    transports: o.transports ?? ['websocket', 'polling'],
    tryAllTransports: true,
    // The room in every request's URL (each long-polling request and the WebSocket upgrade): a
    // cluster's load balancer hashes it, so a room's peers meet on one node (docs/cluster.md).
    query: { room: o.room },
    auth,
  }) as unknown as SocketLike;
  session = new RoomSession({
    room: o.room,
    name: o.name ?? '',
    token: o.token ?? null,
    relayOnly: o.relayOnly ?? false,
    socket,
    joinInHandshake: true,
    iceServers: o.iceServers,
    peerFactory,
    negotiationTimeoutMs: o.negotiationTimeoutMs,
    statsIntervalMs: o.statsIntervalMs,
    iceDisconnectedGraceMs: o.iceDisconnectedGraceMs,
    iceRestartTimeoutMs: o.iceRestartTimeoutMs,
    transferResumeWindowMs: o.transferResumeWindowMs,
    networkChanges: browserNetworkChanges,
    warmUp: () => warmUpWebRtc(o.rtc?.RTCPeerConnection as (new () => RTCPeerConnection) | undefined), // undefined: the runtime's own
  });
  const room = new Room(session);
  session.start();
  return room;
}
