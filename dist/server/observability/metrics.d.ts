import { Registry } from 'prom-client';
import type { ErrorCode } from '../protocol/index.js';
import type { SignalingObserver } from '../signaling/context.js';
import type { RelayStats } from '../../turn/types.js';
export interface MetricSources {
    signalingStats(): Promise<{
        sockets: number;
        rooms: number;
        peers: number;
    }>;
    relayStats(): Promise<RelayStats | null>;
}
export declare class Metrics implements SignalingObserver {
    readonly registry: Registry<"text/plain; version=0.0.4; charset=utf-8">;
    private readonly joins;
    private readonly errors;
    private readonly rateLimited;
    private readonly loop;
    /** Plain running totals, for the live feed's per-second rates. */
    readonly totals: {
        signals: number;
        joins: number;
    };
    constructor(sources: MetricSources);
    start(): void;
    stop(): void;
    joined(_room: string, resumed: boolean): void;
    signalRelayed(): void;
    error(event: string, code: ErrorCode): void;
}
