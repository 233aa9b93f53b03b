/**
 * Retry policies (the livekit pattern): a policy is a small function from the retry context to the
 * delay before the next attempt, or null to give up. Swap one in to change the behaviour; nothing
 * else knows the numbers.
 */
export interface RetryContext {
    /** 0 for the first retry after a failure. */
    attempt: number;
    /** Milliseconds since the first failure of this run of failures. */
    elapsedMs: number;
    /** Why we are retrying (for policies that care, and for logs). */
    reason?: string;
}
export type RetryPolicy = (ctx: RetryContext) => number | null;
export interface BackoffOptions {
    /** Give up after this many retries (Infinity: never). */
    maxAttempts: number;
    baseMs: number;
    maxMs: number;
    /** Give up once this much time has passed since the first failure. */
    maxElapsedMs?: number;
    /** 0..1: fraction of the delay randomised (spreads reconnect storms after a restart). */
    jitter?: number;
    random?: () => number;
}
/** Exponential backoff: base * 2^attempt, capped, with optional jitter. */
export declare function backoffPolicy(o: BackoffOptions): RetryPolicy;
/** A failed peer connection is replaced (fresh credentials) at most 4 times: 0.5, 1, 2, 4 s. */
export declare const peerRetryPolicy: RetryPolicy;
/**
 * A join the server could not take right now (`unavailable`: Redis unreachable; `rate-limited`;
 * `internal`) is sent again while the socket stays up: 0.5 s doubling to 10 s, with jitter.
 */
export declare const joinRetryPolicy: RetryPolicy;
/** Signaling reconnects forever, 0.25 s doubling to 5 s, with jitter. */
export declare const signalingRetryPolicy: RetryPolicy;
/** Tracks one run of failures for a policy; `reset()` after a success. */
export declare class RetryState {
    private readonly policy;
    private readonly now;
    private attempt;
    private firstFailure;
    constructor(policy: RetryPolicy, now?: () => number);
    /** Delay before the next attempt, or null when the policy gives up. Counts the attempt. */
    next(reason?: string): number | null;
    get attempts(): number;
    reset(): void;
}
