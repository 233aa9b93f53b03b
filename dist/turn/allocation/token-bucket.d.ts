/**
 * Per-allocation bandwidth cap (TURN_MAX_BPS): a token bucket in bytes, refilled lazily from the
 * clock, with one second of burst. Packets that do not fit are dropped, never queued.
 */
export declare class TokenBucket {
    private readonly now;
    private tokens;
    private at;
    private readonly rate;
    constructor(bitsPerSecond: number, now: () => number);
    take(bytes: number): boolean;
}
