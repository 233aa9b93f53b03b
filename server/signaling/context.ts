/** What every signaling handler gets: the pieces createApp built, passed in, never imported. */
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config.js';
import type { AuthorizeHook } from '../credentials/authorize.js';
import type { IceServerBuilder } from '../credentials/ice-servers.js';
import type { Logger } from '../log.js';
import type { Ack, ClientToServerEvents, ErrorCode, ServerToClientEvents, SocketData } from '../protocol/index.js';
import type { RoomRegistry } from './registry.js';
import type { Sessions } from './sessions.js';

/** The app's Socket.IO server, typed by the signaling protocol's event maps and {@link SocketData}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

/** Hooks for metrics (issue 7); all optional so tests and the bare server need none. */
export interface SignalingObserver {
  /** A peer entered `room` (not called for a repeated join); `resumed` when it came back with `resume`. */
  joined?(room: string, resumed: boolean): void;
  /**
   * A `signal` was forwarded to its recipient: `crossNode` when it went through the adapter (a
   * peer on another node, or one waiting out its resume grace), not to a socket of this node.
   */
  signalRelayed?(crossNode: boolean): void;
  /** A client event named `event` was refused with `code` (the event name is whatever the client sent). */
  error?(event: string, code: ErrorCode): void;
  /**
   * A client event was answered, `ok` or refused, `seconds` after it arrived (waiting behind the
   * socket's earlier events included). For `signal`: answered right after the emit towards the
   * recipient. `event` is whatever the client sent.
   */
  answered?(event: string, ok: boolean, seconds: number): void;
}

export interface SignalingContext {
  io: IoServer;
  registry: RoomRegistry;
  sessions: Sessions;
  ice: IceServerBuilder;
  log: Logger;
  config: Pick<
    Config,
    'roomCapacity' | 'signalMaxBytes' | 'roomSecret' | 'roomJwt' | 'sessionSecret' | 'resumeGraceMs' | 'rateLimit' | 'trustProxy' | 'authorizeTimeoutMs'
  >;
  /** The app's own check of every join (AppDeps `authorize`, credentials/authorize.ts); none: joins need only their room token. */
  authorize?: AuthorizeHook | undefined;
  /** Flipped by shutdown; handlers refuse new joins with `unavailable`. */
  state: { shuttingDown: boolean };
  observer: SignalingObserver;
}

/** A handler may answer synchronously (the `signal` hot path does) or asynchronously. */
export type Handler<P> = (socket: IoSocket, payload: P, ctx: SignalingContext) => Ack<object> | Promise<Ack<object>>;

export const roomKey = (room: string) => `room:${room}`;
export const peerKey = (peerId: string) => `peer:${peerId}`;
