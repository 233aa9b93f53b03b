/**
 * `switchboard/server`: the signaling server as a library. `createApp(config, deps?)` builds the
 * HTTP app, Socket.IO signaling and (optionally) the embedded relay; `loadConfig(env)` turns
 * environment variables into a validated {@link Config} (the variables are documented in the
 * README's Configuration table). The signaling protocol's types (event maps, payloads, acks,
 * error codes) are exported for servers and clients that speak it; its validators are not (they
 * are the server's business, and zod an implementation detail).
 *
 * @example
 * ```ts
 * import { createApp, loadConfig } from 'switchboard/server';
 * const app = createApp(loadConfig({ PORT: '0', TURN_ENABLED: 'false', STUN_URLS: 'stun:stun.example.org' }));
 * const { url } = await app.start();
 * // ...
 * await app.stop();
 * ```
 *
 * @module
 */
export { createApp, type App, type AppDeps, type AppMetrics, type StartedApp } from './app.js';
export { loadConfig, ConfigError, CONFIG_VARIABLES, type Config, type ConfigIssue, type RelayConfig } from './config.js';
export { createCluster, type Cluster, type ClusterConfig, type ClusterNodeHandle, type ClusterOptions } from './cluster/index.js';
export { createLogger, type Logger } from './log.js';
export type { RelayFactory } from './relay-factory.js';
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
