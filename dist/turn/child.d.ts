import { EventEmitter } from 'node:events';
import type { RelayConfig } from '../server/config.js';
import type { SerializableRelayOptions } from './ipc.js';
import type { RelayLogger } from './options.js';
import type { Relay, RelayAddresses, RelayEvents, RelayStats } from './types.js';
export interface RelayProcessOptions {
    /** Options passed to createRelay in the child (serializable ones only). */
    relayOptions?: SerializableRelayOptions;
    /** Delay before restart number `attempt` (0-based), or null to give up. Default 250 ms doubling to 10 s. */
    restartDelay?: (attempt: number) => number | null;
    /** Timeout for the child's start (loading tsx, binding ports). Default 30 s. */
    startTimeoutMs?: number;
    /** Timeout for stats/stop requests and heartbeats. Default 10 s. */
    requestTimeoutMs?: number;
    /** How long stop() waits for a clean exit before SIGKILL. Default 5 s. */
    stopTimeoutMs?: number;
    /**
     * Liveness check: every `heartbeatMs` the child is asked for its stats; after `heartbeatMisses`
     * unanswered checks in a row (each waits `requestTimeoutMs`) a hung child is killed and, like a
     * crashed one, restarted. Default 10 s and 3; 0 disables.
     */
    heartbeatMs?: number;
    heartbeatMisses?: number;
    logger?: RelayLogger;
    /** Override the entry file (tests). */
    entry?: string;
}
export declare class RelayProcess extends EventEmitter<RelayEvents> implements Relay {
    private readonly opts;
    private child;
    private nextId;
    private readonly waiting;
    private config;
    private stopping;
    private starting;
    private restartTimer;
    private attempt;
    private startedAt;
    private heartbeat;
    /** The current child answered `start` (the heartbeat leaves a starting child alone). */
    private ready;
    private misses;
    private probing;
    addresses: RelayAddresses | undefined;
    constructor(config: RelayConfig, opts?: RelayProcessOptions);
    /** The current child's pid (undefined between a crash and its restart). */
    get pid(): number | undefined;
    private get log();
    start(): Promise<RelayAddresses>;
    private startHeartbeat;
    private spawn;
    private onMessage;
    private onExit;
    private request;
    stats(): Promise<RelayStats>;
    stop(): Promise<void>;
}
export declare function startRelayProcess(config: RelayConfig, opts?: RelayProcessOptions): RelayProcess;
