/**
 * `switchboard/server`: the signaling server as a library.
 *
 * - {@link createSignalingServer}`(options)`: what `npm start` runs (web app, signaling, embedded
 *   relay) from typed options, one per environment variable of the README's table in camelCase.
 * - {@link attachSignaling}`(httpServer | expressApp, options)`: the signaling (and optionally the
 *   relay and the ICE-server route) inside your own server, at a path you pick.
 * - {@link createApp}`(config, deps?)` with {@link loadConfig}`(env)`: the same from the environment.
 *
 * The signaling protocol's types (event maps, payloads, acks, error codes) are exported for
 * servers and clients that speak it; its validators are not (they are the server's business, and
 * zod an implementation detail). The README's "Embed it" has examples (examples/embed-express.mjs,
 * examples/server.mjs), each run by a test.
 *
 * @module switchboard/server
 */
export { createSignalingServer, type SignalingServerOptions } from './signaling-server.js';
export { attachSignaling, type AttachOptions, type AttachedSignaling } from './attach.js';
export { configFromOptions, type Camel, type ServerOptions } from './options.js';
export { createApp, type App, type AppDeps, type AppMetrics, type StartedApp } from './app.js';
export { loadConfig, ConfigError, CONFIG_VARIABLES, type Config, type ConfigIssue, type Env, type RelayConfig } from './config.js';
export { createCluster, type Cluster, type ClusterConfig, type ClusterNodeHandle, type ClusterOptions } from './cluster/index.js';
export { createLogger, type Logger } from './log.js';
export type { RelayFactory } from './relay-factory.js';
export type { AuthorizeHook, AuthorizeRequest, AuthorizeResult, HandshakeInfo } from './credentials/authorize.js';
export type { RoomJwtConfig } from './credentials/room-jwt.js';
export type { IoServer, SignalingObserver } from './signaling/context.js';
export type { JoinResult, RoomRegistry } from './signaling/registry.js';
// The protocol, explicitly: what a peer sends and receives. Not the zod schemas, patterns, `fail`
// or CLIENT_EVENTS, which only the server's own modules use (through ./protocol/index.js).
export { ERROR_CODES, type Ack, type ErrorCode, type ProtocolError } from './protocol/errors.js';
export type {
  ClientToServerEvents,
  HandshakeAuth,
  IceServer,
  IceServersAck,
  JoinAck,
  PeerInfo,
  ServerToClientEvents,
  SimpleAck,
  SocketData,
} from './protocol/events.js';
export type { JoinRequest, SignalData, SignalRequest } from './protocol/schemas.js';
