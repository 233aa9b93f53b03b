/**
 * Responses to authenticated requests, kept so that a retransmitted request (same 5-tuple and
 * transaction id, RFC 8489 section 6.3.1 / RFC 8656 section 7.2 note) gets the same answer instead
 * of being processed twice. Bounded: oldest entries go first; the sweep drops expired ones.
 */
export class TransactionCache {
    ttlMs;
    maxEntries;
    entries = new Map();
    constructor(ttlMs, maxEntries) {
        this.ttlMs = ttlMs;
        this.maxEntries = maxEntries;
    }
    get(key, now) {
        const e = this.entries.get(key);
        return e && e.expiresAt > now ? e.response : undefined;
    }
    set(key, response, now) {
        if (this.entries.size >= this.maxEntries) {
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined)
                this.entries.delete(oldest);
        }
        // A copy outside Node's shared 8 KiB pool: a long-lived slice would pin a whole slab.
        const own = Buffer.allocUnsafeSlow(response.length);
        response.copy(own);
        this.entries.set(key, { response: own, expiresAt: now + this.ttlMs });
    }
    sweep(now) {
        for (const [k, e] of this.entries)
            if (e.expiresAt <= now)
                this.entries.delete(k);
    }
    clear() {
        this.entries.clear();
    }
    get size() {
        return this.entries.size;
    }
}
//# sourceMappingURL=transaction-cache.js.map