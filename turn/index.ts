/**
 * `switchboard/turn`: the STUN/TURN relay (RFC 8489, RFC 8656) as a library, usable without the
 * signaling server. `createRelay(config, options?)` runs it in this process,
 * `startRelayProcess(config, options?)` in a child process that is restarted if it dies,
 * `startRelayPool(config, options?)` as `config.workers` such processes, one port each;
 * `restCredentials` issues the TURN REST credentials it accepts.
 *
 * @module switchboard/turn
 */
export { createRelay, type CreateRelayOptions, type TurnRelay } from './relay.js';
export { startRelayProcess, RelayProcess, type RelayProcessOptions } from './child.js';
export { startRelayPool, RelayPool, type RelayPoolOptions } from './pool.js';
export type { RelayConfig } from './config.js';
export type { RelayOptions, RelayLogger } from './options.js';
export type { SerializableRelayOptions } from './ipc.js';
export type { BoundPort, PortAllocator } from './allocation/port-allocator.js';
export type { Relay, RelayAddresses, RelayEvents, RelayStats, AllocationEvent, MetricFamily } from './types.js';
export { restCredentials, restPassword } from './auth/rest.js';
