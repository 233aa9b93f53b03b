/**
 * Responses to authenticated requests, kept so that a retransmitted request (same 5-tuple and
 * transaction id, RFC 8489 section 6.3.1 / RFC 8656 section 7.2 note) gets the same answer instead
 * of being processed twice. Bounded: oldest entries go first; the sweep drops expired ones.
 */
export declare class TransactionCache {
    private readonly ttlMs;
    private readonly maxEntries;
    private readonly entries;
    constructor(ttlMs: number, maxEntries: number);
    get(key: string, now: number): Buffer | undefined;
    set(key: string, response: Buffer, now: number): void;
    sweep(now: number): void;
    clear(): void;
    get size(): number;
}
