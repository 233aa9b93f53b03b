/**
 * Per-source-address token bucket for 401 answers (and other unauthenticated work). Bounded: at
 * most `maxEntries` addresses are tracked; the oldest inserted is dropped first (a Map keeps
 * insertion order), and `sweep` removes full buckets.
 */
export class RateLimiter {
    perSecond;
    burst;
    maxEntries;
    now;
    buckets = new Map();
    constructor(perSecond, burst, maxEntries, now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxEntries = maxEntries;
        this.now = now;
    }
    /** Take one token for `key`; false when the key is over its rate. */
    take(key) {
        const t = this.now();
        let b = this.buckets.get(key);
        if (!b) {
            if (this.buckets.size >= this.maxEntries) {
                const oldest = this.buckets.keys().next().value;
                if (oldest !== undefined)
                    this.buckets.delete(oldest);
            }
            b = { tokens: this.burst, at: t };
            this.buckets.set(key, b);
        }
        else {
            b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
            b.at = t;
        }
        if (b.tokens < 1)
            return false;
        b.tokens -= 1;
        return true;
    }
    /** Drop entries whose bucket has refilled (they carry no information). */
    sweep() {
        const t = this.now();
        for (const [k, b] of this.buckets) {
            if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst)
                this.buckets.delete(k);
        }
    }
    get size() {
        return this.buckets.size;
    }
}
//# sourceMappingURL=rate-limiter.js.map