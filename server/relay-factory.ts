/**
 * How `npm start` gets its relay: the bundled one in a child process (turn/child.ts), so a fault in
 * the relay cannot take the signaling server down. TURN_ENABLED=false: no relay here at all.
 */
import type { RelayConfig } from './config.js';
import type { Logger } from './log.js';
import type { Relay } from '../turn/types.js';

export type RelayFactory = (config: RelayConfig, log: Logger) => Promise<Relay>;

export const isolatedRelay: RelayFactory = async (config, log) => {
  // Resolved at run time so the signaling server builds and runs without the relay module.
  const childModule = '../turn/child.js';
  const mod = (await import(childModule)) as {
    startRelayProcess(config: RelayConfig, opts: { log: Logger }): Relay;
  };
  return mod.startRelayProcess(config, { log });
};
