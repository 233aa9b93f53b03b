/**
 * Per-source-address token bucket for 401 answers (and other unauthenticated work). Bounded: at
 * most `maxEntries` addresses are tracked; the oldest inserted is dropped first (a Map keeps
 * insertion order), and `sweep` removes full buckets.
 */
export declare class RateLimiter {
    private readonly perSecond;
    private readonly burst;
    private readonly maxEntries;
    private readonly now;
    private readonly buckets;
    constructor(perSecond: number, burst: number, maxEntries: number, now: () => number);
    /** Take one token for `key`; false when the key is over its rate. */
    take(key: string): boolean;
    /** Drop entries whose bucket has refilled (they carry no information). */
    sweep(): void;
    get size(): number;
}
