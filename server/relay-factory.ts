/**
 * How `npm start` gets its relay: the bundled one as TURN_WORKERS child processes (turn/pool.ts,
 * one port each), so a fault in the relay cannot take the signaling server down; each is restarted
 * with backoff if it dies. The only thing shared with them is the relay config, which carries the
 * TURN secret. TURN_ENABLED=false: no relay here at all.
 */
import type { RelayConfig } from '../turn/config.js';
import type { Logger } from './log.js';
import { startRelayPool } from '../turn/pool.js';
import type { Relay } from '../turn/types.js';

/**
 * Creates the app's embedded relay from its config and a logger; `start()` is called by the app.
 * The default runs the bundled relay as TURN_WORKERS child processes ({@link startRelayPool}).
 */
export type RelayFactory = (config: RelayConfig, log: Logger) => Promise<Relay>;

// The relay processes log their own exits and restarts through `logger` (with their `worker`).
export const isolatedRelay: RelayFactory = async (config, log) => startRelayPool(config, { logger: log });
