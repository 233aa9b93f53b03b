/**
 * `switchboard/server`: the signaling server as a library. `createApp(config, deps?)` builds the
 * HTTP app, Socket.IO signaling and (optionally) the embedded relay; `loadConfig(env)` turns
 * environment variables into a validated {@link Config} (the variables are documented in the
 * README's Configuration table). The protocol's types are re-exported for servers and clients
 * that speak it.
 *
 * @example
 * ```ts
 * import { createApp, loadConfig } from 'switchboard/server';
 * const app = createApp(loadConfig({ PORT: '0', TURN_ENABLED: 'false', STUN_URLS: 'stun:stun.example.org' }));
 * const { url } = await app.start();
 * // ...
 * await app.stop();
 * ```
 */
export { createApp, type App, type AppDeps, type StartedApp } from './app.js';
export { loadConfig, ConfigError, CONFIG_VARIABLES, type Config, type RelayConfig } from './config.js';
export { createCluster, type Cluster, type ClusterConfig, type ClusterOptions } from './cluster/index.js';
export { createLogger, type Logger } from './log.js';
export type { RelayFactory } from './relay-factory.js';
export * from './protocol/index.js';
