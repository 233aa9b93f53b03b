import type { RelayConfig } from '../server/config.js';
import { type PortAllocator } from './allocation/port-allocator.js';
import { type RelayOptions } from './options.js';
import type { Relay } from './types.js';
export interface CreateRelayOptions extends RelayOptions {
    /** Replace the relay-port allocator (tests). */
    portAllocator?: PortAllocator;
}
/** The relay plus test hooks. */
export interface TurnRelay extends Relay {
    /** Run the expiry sweep now (tests with an injected clock). */
    sweep(): void;
    /** Handler exceptions caught so far (0 in a healthy relay). */
    readonly handlerErrors: number;
    /** Entries in the bounded per-IP 401 limiter and the transaction cache (memory checks). */
    readonly internals: {
        limiterEntries: number;
        cachedResponses: number;
        streamConnections: number;
    };
}
export declare function createRelay(config: RelayConfig, options?: CreateRelayOptions): TurnRelay;
