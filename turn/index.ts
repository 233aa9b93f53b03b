/** The relay's public surface in one import. */
export { createRelay, type CreateRelayOptions, type TurnRelay } from './relay.js';
export { startRelayProcess, RelayProcess, type RelayProcessOptions } from './child.js';
export type { RelayConfig } from './config.js';
export type { RelayOptions, RelayLogger } from './options.js';
export type { Relay, RelayAddresses, RelayEvents, RelayStats, AllocationEvent } from './types.js';
export { restCredentials, restPassword } from './auth/rest.js';
