/**
 * Per-allocation bandwidth cap (TURN_MAX_BPS): a token bucket in bytes, refilled lazily from the
 * clock, with one second of burst. Packets that do not fit are dropped, never queued.
 */
export class TokenBucket {
    now;
    tokens;
    at;
    rate;
    constructor(bitsPerSecond, now) {
        this.now = now;
        this.rate = bitsPerSecond / 8 / 1000; // bytes per ms
        this.tokens = bitsPerSecond / 8;
        this.at = now();
    }
    take(bytes) {
        const t = this.now();
        const cap = this.rate * 1000;
        if (t > this.at) {
            this.tokens = Math.min(cap, this.tokens + (t - this.at) * this.rate);
            this.at = t;
        }
        if (this.tokens < bytes)
            return false;
        this.tokens -= bytes;
        return true;
    }
}
//# sourceMappingURL=token-bucket.js.map