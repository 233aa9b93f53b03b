/** The shapes of the public SDK (`switchboard/client`): options, states, peers, events. */
import type { IceServer } from '../../../server/protocol/events.js';
import type { SwitchboardError } from './errors.js';
import type { Message } from './messages.js';
import type { PathKind, PathStats } from './stats.js';
import type { FileTransfer } from './transfer.js';

export type { FileTransfer, IceServer, PathKind, PathStats };

/**
 * The WebRTC implementation to use where the runtime has none of its own (Node.js, with werift
 * or another W3C-shaped library); browsers need nothing here.
 */
export interface RtcImplementation {
  RTCPeerConnection: unknown;
  RTCSessionDescription?: unknown;
  RTCIceCandidate?: unknown;
}

/** Options of {@link joinRoom}. Only `url` and `room` are required. */
export interface JoinRoomOptions {
  /** The Switchboard server's origin (`https://calls.example.com`, `http://localhost:3000`): no path (see `path`). */
  url: string;
  /** The room to join: 1-64 characters of `A-Z a-z 0-9 _ -`. */
  room: string;
  /** The name others see (at most 64 characters). Default: none (`''`). */
  name?: string;
  /** The room token, when the server requires one (`ROOM_SECRET`). */
  token?: string;
  /**
   * ICE servers known before connecting (say, from your own backend): the first offer is then
   * prepared while the signaling connection opens. Default: none; the server's join answer always
   * brings fresh STUN/TURN servers with credentials.
   */
  iceServers?: IceServer[];
  /** Connect through the TURN relay only (`iceTransportPolicy: 'relay'`). Default: false. */
  relayOnly?: boolean;
  /** A WebRTC implementation for runtimes without one (see {@link RtcImplementation}). Default: the runtime's own. */
  rtc?: RtcImplementation;
  /** The server's Socket.IO path. Default: `/socket.io`. */
  path?: string;
  /** Socket.IO transports to try, in order. Default: `['websocket', 'polling']`. */
  transports?: Array<'websocket' | 'polling'>;
  /** A peer connection not up this long after it was made is replaced, in ms. Default: 20000. */
  negotiationTimeoutMs?: number;
  /** How often each connection's statistics (path, RTT, bitrate) are read, in ms. Default: 1000. */
  statsIntervalMs?: number;
  /**
   * A connection whose ICE stays `disconnected` this long restarts ICE in place, in ms (one that
   * goes `failed`, or whose page changes network, restarts at once). Default: 1000.
   */
  iceDisconnectedGraceMs?: number;
  /** An ICE restart not connected this long gives way to a new connection, in ms. Default: 10000. */
  iceRestartTimeoutMs?: number;
  /**
   * A file transfer whose connection was lost (replaced, or the peer's page offline for a
   * moment) is `paused` this long, in ms, and continues from what the receiver has when a
   * connection is back; then it fails. 0: it fails at once. Default: 30000.
   */
  transferResumeWindowMs?: number;
}

/**
 * Where the room stands: `connecting` (to the server), `joined`, `reconnecting` (the server
 * connection dropped; peer connections stay up and the room is rejoined under the same peer id),
 * `unreachable` (never reached the server; still retrying), `room-full` and `unauthorized` (final),
 * `error` (a join the server could not take now; retried), `left`.
 */
export type RoomState = 'connecting' | 'joined' | 'reconnecting' | 'unreachable' | 'room-full' | 'unauthorized' | 'error' | 'left';

/**
 * A peer connection's state: `waiting` (for the other side's offer), `connecting`, `connected`
 * (the data channel is open), `reconnecting` (the path was lost: ICE restarting on the same
 * connection, its data channel and tracks kept, see the `peer-recovery` event; or, when that
 * did not work in time or the connection failed before it was ever up, being replaced),
 * `failed` (given up after the retries), `closed` (the other side hung up).
 */
export type PeerState = 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** Whether the peer has a call on, and its microphone and camera. */
export interface MediaState {
  inCall: boolean;
  audio: boolean;
  video: boolean;
}

/** Another peer of the room, as a snapshot (a fresh object on every read). */
export interface PeerInfo {
  id: string;
  name: string;
  state: PeerState;
  /** The connection's path once connected: `direct`, `relay` (through TURN) or `unknown`. */
  path: PathKind;
  /** Round-trip time of the selected ICE candidate pair, ms, when known. */
  rttMs: number | null;
  /** The last statistics read from the connection (see `statsIntervalMs`). */
  stats: PathStats | null;
  media: MediaState;
  /**
   * The protocol version the peer's data-channel `hello` named (1 when it named none); null
   * before its first hello. A version other than this SDK's is reported as an `error`.
   */
  protocol: number | null;
  /**
   * The peer's camera and microphone, one stream with at most one track of each kind, once it
   * sends any (its shared screen is not in it: see `screen`). A new stream object whenever its
   * tracks change (see the room's `stream` event).
   */
  stream: MediaStream | null;
  /**
   * The screen, window or tab the peer shares (its {@link Room.shareScreen}): a stream of one
   * video track, a new stream object for each share; null when it shares none.
   */
  screen: MediaStream | null;
  /** Replacements of a failed connection so far. */
  attempts: number;
  /** Why the last connection failed, when it did. */
  error: string | null;
  /** Whether this side made the offer (the newcomer does); null without a connection. */
  initiator: boolean | null;
  /** The ICE connection state (`checking`, `connected`, ...); null without a connection. */
  iceState: string | null;
  /** Tells a replaced connection from the one before it (increases); null without a connection. */
  generation: number | null;
}


/**
 * What started an ICE restart: ICE `failed`, ICE `disconnected` past the grace, nothing received
 * for 1.5 s from a peer that sends audio or video (`media-stalled`), the page's network changed,
 * or the peer asked.
 */
export type RestartReason = 'ice-failed' | 'ice-disconnected' | 'media-stalled' | 'network-change' | 'peer-asked';

/**
 * One step of a peer connection's ICE restart (the `peer-recovery` event): `restarting` (the
 * peer's state is `reconnecting`; messages and files sent meanwhile wait in the data channel),
 * `recovered` (connected again on the same connection), `replaced` (not connected within
 * `iceRestartTimeoutMs`: a new connection replaces it).
 */
export interface PeerRecovery {
  phase: 'restarting' | 'recovered' | 'replaced';
  reason: RestartReason;
  /** Since the restart began, in ms (0 for `restarting`). */
  ms: number;
}

/** ICE restarts in this room so far, by outcome (see {@link Room.recoveries}). */
export interface RecoveryStats {
  /** Restarts begun. */
  restarts: number;
  /** Connected again on the same connection. */
  recovered: number;
  /** Not connected in time: the connection was replaced. */
  replaced: number;
}

/** What {@link Room.sendFile} takes: a Blob or File, or bytes with a name. */
export type FileInput = Blob | { name: string; data: Uint8Array | ArrayBuffer; type?: string };

/** Options of {@link Room.send} and {@link Room.sendFile}. */
export interface SendOptions {
  /** One peer's id; default: every connected peer. */
  to?: string;
}

/** The signaling connection, for diagnostics. */
export interface ConnectionInfo {
  status: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed';
  connected: boolean;
  /** Successful connects so far. */
  connects: number;
  /** `websocket` or `polling`, when connected. */
  transport: string | null;
}

/** Every event of a {@link Room} and its listener's arguments. */
export interface RoomEventMap {
  /** The room's {@link RoomState} changed. */
  state: [state: RoomState];
  /** A peer is in the room (from the join's roster, or it joined later). */
  'peer-joined': [peer: PeerInfo];
  /** A peer left the room (its last snapshot). */
  'peer-left': [peer: PeerInfo];
  /** A peer's connection state or path changed. */
  'peer-state': [peer: PeerInfo];
  /** A step of an ICE restart of a peer's connection (see {@link PeerRecovery}). */
  'peer-recovery': [peer: PeerInfo, recovery: PeerRecovery];
  /** A message from a peer: text, JSON or binary (see {@link Message}). */
  message: [message: Message];
  /**
   * A peer's media stream arrived, changed, or went away (null). Each change is a new `MediaStream`
   * (a track started carrying media, or one ended), so `video.srcObject = stream` on every event
   * shows what the peer sends.
   */
  stream: [peerId: string, stream: MediaStream | null];
  /**
   * A peer started sharing its screen (a stream of one video track: `video.srcObject = stream`),
   * or stopped (null). Also in {@link PeerInfo.screen}.
   */
  screen: [peerId: string, stream: MediaStream | null];
  /** A peer started sending this side a file. */
  'file-offer': [transfer: FileTransfer];
  /** Progress or a state change of any transfer, in or out. */
  'file-progress': [transfer: FileTransfer];
  /** A file arrived whole; `transfer.verified` says whether its SHA-256 matched the sender's. */
  'file-received': [transfer: FileTransfer, file: Blob];
  /** Something went wrong that no method call could report (see {@link SwitchboardError}). */
  error: [error: SwitchboardError];
  /** Anything above changed (for UIs that re-render from the getters). */
  change: [];
}
