/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Refill is computed lazily on take(), so
 * a bucket costs no timer.
 */
export class TokenBucket {
    burst;
    perSecond;
    now;
    tokens;
    last;
    constructor(burst, perSecond, now = Date.now) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.now = now;
        this.tokens = burst;
        this.last = now();
    }
    take(n = 1) {
        const t = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
        this.last = t;
        if (this.tokens < n)
            return false;
        this.tokens -= n;
        return true;
    }
}
//# sourceMappingURL=token-bucket.js.map