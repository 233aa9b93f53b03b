/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Refill is computed lazily on take(), so
 * a bucket costs no timer.
 */
export declare class TokenBucket {
    private readonly burst;
    private readonly perSecond;
    private readonly now;
    private tokens;
    private last;
    constructor(burst: number, perSecond: number, now?: () => number);
    take(n?: number): boolean;
}
