/** The shapes a Room exposes (and takes). */
import type { IceServer } from '../../../server/protocol/events.js';
import type { SignalData } from '../../../server/protocol/schemas.js';
import type { PeerFactory, PeerLink } from './peer-link.js';
import type { RetryPolicy, RetryState } from './retry.js';
import type { SocketLike } from './signaling.js';
import type { PathStats } from './stats.js';
import type { TransferInfo } from './transfer.js';
import type { Message } from './messages.js';
import type { RecoveryEvent } from './ice-restart.js';

export type RoomStatus = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'unreachable' | 'room-full' | 'unauthorized' | 'error' | 'left';
export type PeerConn = 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface MediaState {
  inCall: boolean;
  audio: boolean;
  video: boolean;
}

export interface PeerEntry {
  id: string;
  name: string;
  conn: PeerConn;
  link: PeerLink | null;
  stats: PathStats | null;
  /** Replacements of a failed link so far. */
  attempts: number;
  error: string | null;
  media: MediaState;
  stream: MediaStream | null;
  /** The screen the peer shares (link-screen.ts), or null. */
  screen: MediaStream | null;
  /** The protocol version of the peer's hello; null before one arrived. */
  protocol: number | null;
  /** When this side last answered a malformed message of the peer (ms, Date.now()). */
  answeredAt: number;
  retry: RetryState;
  timer: ReturnType<typeof setTimeout> | null;
  /** Gives up on a link not connected in time (RoomOptions.negotiationTimeoutMs). */
  negotiation: ReturnType<typeof setTimeout> | null;
  /** Signals that arrived while the link was being created. */
  queue: SignalData[] | null;
}

export interface RoomOptions {
  room: string;
  name: string;
  token?: string | null;
  relayOnly?: boolean;
  socket: SocketLike;
  /**
   * The socket sends `joinRequest()` in its connection handshake (`auth: { join }`): the room
   * waits for the server's `joined` instead of sending `join` (one round trip less).
   */
  joinInHandshake?: boolean;
  /**
   * ICE servers known before connecting (the page's boot data): the room prepares its first offer
   * while the signaling connection opens, for the first peer it will initiate to.
   */
  iceServers?: IceServer[];
  peerFactory: PeerFactory;
  peerRetryPolicy?: RetryPolicy;
  signalingRetryPolicy?: RetryPolicy;
  /** How a join the server could not take right now is retried (retry.ts `joinRetryPolicy`). */
  joinRetryPolicy?: RetryPolicy;
  statsIntervalMs?: number;
  /** Pays the browser's WebRTC start-up cost while alone in the room (webrtc-warmup.ts). */
  warmUp?: () => void;
  /** A link not connected this long after it was made is given up and replaced (default 20 s). */
  negotiationTimeoutMs?: number;
  /** ICE `disconnected` this long restarts ICE (ice-restart.ts; default 1 s). */
  iceDisconnectedGraceMs?: number | undefined;
  /** An ICE restart not connected this long falls back to a new connection (default 10 s). */
  iceRestartTimeoutMs?: number | undefined;
  /** A transfer whose connection was lost waits this long for a new one (transfer.ts; default 30 s, 0: fails at once). */
  transferResumeWindowMs?: number | undefined;
  /**
   * Subscribes to the page's network changes (`online`, `navigator.connection` changes: see
   * network-changes.ts); returns the unsubscribe. Each change restarts ICE on every link.
   */
  networkChanges?: (onChange: () => void) => () => void;
}

export interface RoomEvents {
  change: [];
  message: [Message];
  /** A peer sent a data-channel message that breaks the protocol (it was dropped). */
  'peer-protocol-error': [{ peerId: string; message: string }];
  /** A join the server refused (or could not take now: then it is retried). */
  'join-failed': [{ code: string; message: string }];
  stream: [string, MediaStream | null];
  /** A peer's shared screen arrived or went away (null). */
  screen: [string, MediaStream | null];
  notice: [{ kind: 'left' | 'joined' | 'failed' | 'error'; text: string }];
  received: [TransferInfo, Blob];
  /** A step of a link's ICE restart (ice-restart.ts). */
  recovery: [RecoveryEvent];
  [k: string]: unknown[];
}

