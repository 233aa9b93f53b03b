/**
 * Retry policies (the livekit pattern): a policy is a small function from the retry context to the
 * delay before the next attempt, or null to give up. Swap one in to change the behaviour; nothing
 * else knows the numbers.
 */
/** Exponential backoff: base * 2^attempt, capped, with optional jitter. */
export function backoffPolicy(o) {
    const random = o.random ?? Math.random;
    const jitter = o.jitter ?? 0;
    return ({ attempt, elapsedMs }) => {
        if (attempt >= o.maxAttempts)
            return null;
        if (o.maxElapsedMs !== undefined && elapsedMs >= o.maxElapsedMs)
            return null;
        const raw = Math.min(o.maxMs, o.baseMs * 2 ** attempt);
        return Math.round(raw * (1 - jitter + jitter * random()));
    };
}
/** A failed peer connection is replaced (fresh credentials) at most 4 times: 0.5, 1, 2, 4 s. */
export const peerRetryPolicy = backoffPolicy({ maxAttempts: 4, baseMs: 500, maxMs: 4000 });
/**
 * A join the server could not take right now (`unavailable`: Redis unreachable; `rate-limited`;
 * `internal`) is sent again while the socket stays up: 0.5 s doubling to 10 s, with jitter.
 */
export const joinRetryPolicy = backoffPolicy({ maxAttempts: Infinity, baseMs: 500, maxMs: 10_000, jitter: 0.3 });
/** Signaling reconnects forever, 0.25 s doubling to 5 s, with jitter. */
export const signalingRetryPolicy = backoffPolicy({
    maxAttempts: Infinity,
    baseMs: 250,
    maxMs: 5000,
    jitter: 0.3,
});
/** Tracks one run of failures for a policy; `reset()` after a success. */
export class RetryState {
    policy;
    now;
    attempt = 0;
    firstFailure = null;
    constructor(policy, now = Date.now) {
        this.policy = policy;
        this.now = now;
    }
    /** Delay before the next attempt, or null when the policy gives up. Counts the attempt. */
    next(reason) {
        const t = this.now();
        if (this.firstFailure === null)
            this.firstFailure = t;
        const ctx = { attempt: this.attempt, elapsedMs: t - this.firstFailure };
        if (reason !== undefined)
            ctx.reason = reason;
        const d = this.policy(ctx);
        if (d !== null)
            this.attempt++;
        return d;
    }
    get attempts() {
        return this.attempt;
    }
    reset() {
        this.attempt = 0;
        this.firstFailure = null;
    }
}
//# sourceMappingURL=retry.js.map