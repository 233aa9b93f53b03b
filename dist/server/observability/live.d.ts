/**
 * Live figures once a second, for `GET /api/events` (Server-Sent Events) and the dashboard.
 * Each event has an `id:`; a client that reconnects with Last-Event-ID gets the samples it missed
 * from a short ring buffer, so `EventSource` resumes without gaps.
 */
import type { Request, Response } from 'express';
export interface Sample {
    id: number;
    t: number;
    sockets: number;
    rooms: number;
    peers: number;
    signalsPerSec: number;
    relayMbps: number;
    allocations: number;
}
export interface LiveSources {
    counts(): Promise<{
        sockets: number;
        rooms: number;
        peers: number;
    }>;
    signalsTotal(): number;
    relay(): Promise<{
        bytes: number;
        allocations: number;
    } | null>;
}
export declare class LiveFeed {
    private readonly sources;
    private readonly intervalMs;
    private readonly ring;
    private readonly clients;
    private timer;
    private seq;
    private last;
    constructor(sources: LiveSources, intervalMs?: number);
    start(): void;
    stop(): void;
    private tick;
    /** GET /api/events */
    handle: (req: Request, res: Response) => void;
    get subscribers(): number;
}
