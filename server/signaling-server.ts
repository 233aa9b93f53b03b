/**
 * `createSignalingServer(options)`: what `npm start` runs (the web app, signaling, the embedded
 * relay), from typed options instead of the environment (`createApp(loadConfig(env))` is the
 * same from the environment: one schema behind both, see options.ts).
 */
import { type App, type AppDeps, createApp } from './app.js';
import type { AuthorizeHook } from './credentials/authorize.js';
import type { Logger } from './log.js';
import { configFromOptions, type ServerOptions } from './options.js';

/** Options of {@link createSignalingServer}: every server option (README table, camelCase), and these. */
export interface SignalingServerOptions extends ServerOptions {
  /** The app's own check of every join (docs/tokens.md). Default none. */
  authorize?: AuthorizeHook;
  /** Where the server logs. Default pino at `logLevel`. */
  log?: Logger;
}

/**
 * Builds the server (nothing listens until `start()`); a bad option throws a ConfigError naming
 * it. Defaults are the environment variables' (port 3000, the embedded relay on 3478, ...).
 */
export function createSignalingServer(options: SignalingServerOptions = {}): App {
  const { authorize, log, ...rest } = options;
  const deps: Partial<AppDeps> = {};
  if (authorize !== undefined) deps.authorize = authorize;
  if (log !== undefined) deps.log = log;
  return createApp(configFromOptions(rest), deps);
}
