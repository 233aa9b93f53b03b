/**
 * How `npm start` gets its relay: the bundled one in a child process (turn/child.ts), so a fault in
 * the relay cannot take the signaling server down; it is restarted with backoff if it dies. The
 * only thing shared with it is the relay config, which carries the TURN secret.
 * TURN_ENABLED=false: no relay here at all.
 */
import type { RelayConfig } from '../turn/config.js';
import type { Logger } from './log.js';
import { startRelayProcess } from '../turn/child.js';
import type { Relay } from '../turn/types.js';

/**
 * Creates the app's embedded relay from its config and a logger; `start()` is called by the app.
 * The default runs the bundled relay in a child process ({@link startRelayProcess}).
 */
export type RelayFactory = (config: RelayConfig, log: Logger) => Promise<Relay>;

// The relay process logs its own exits and restarts through `logger`.
export const isolatedRelay: RelayFactory = async (config, log) => startRelayProcess(config, { logger: log });
