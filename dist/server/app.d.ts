/**
 * The wiring module: builds the HTTP app, Socket.IO, signaling and (optionally) the embedded relay
 * from a Config and injected dependencies. Nothing here reads the environment or global state, so
 * tests build as many independent apps as they like on port 0.
 */
import { type Server as HttpServer } from 'node:http';
import type { Config } from './config.js';
import { type Logger } from './log.js';
import { type RelayFactory } from './relay-factory.js';
import type { IoServer, SignalingObserver } from './signaling/context.js';
import { type RoomRegistry } from './signaling/registry.js';
import { Metrics } from './observability/metrics.js';
import type { Relay, RelayAddresses } from '../turn/types.js';
import type { Router } from 'express';
export interface AppDeps {
    log: Logger;
    registry: RoomRegistry;
    /** `null`: run without an embedded relay. Default: the isolated bundled relay when TURN_ENABLED. */
    relayFactory: RelayFactory | null;
    observer: SignalingObserver;
    /** Extra readiness checks (Redis in a cluster): a reason when not ready. */
    readinessChecks: Array<() => Promise<string | undefined>>;
    /** Called with the Socket.IO server before it accepts connections (adapters, metrics). */
    configureIo?: (io: IoServer) => void | Promise<void>;
    extraRoutes: Router[];
}
export interface StartedApp {
    port: number;
    url: string;
    relay: RelayAddresses | null;
}
export interface App {
    readonly config: Config;
    readonly io: IoServer;
    readonly http: HttpServer;
    relay(): Relay | undefined;
    readonly metrics: Metrics;
    start(): Promise<StartedApp>;
    /** Tells clients, stops accepting, closes everything within SHUTDOWN_TIMEOUT_MS. Idempotent. */
    stop(): Promise<void>;
}
export declare function createApp(config: Config, overrides?: Partial<AppDeps>): App;
