import { describe, expect, it } from 'vitest';
import { RetryState, backoffPolicy, peerRetryPolicy } from '../../web/src/core/retry.js';

describe('retry policies', () => {
  it('doubles up to the cap and gives up after maxAttempts', () => {
    const p = backoffPolicy({ maxAttempts: 5, baseMs: 100, maxMs: 1000 });
    expect([0, 1, 2, 3, 4, 5].map((attempt) => p({ attempt, elapsedMs: 0 }))).toEqual([100, 200, 400, 800, 1000, null]);
  });

  it('gives up after maxElapsedMs', () => {
    const p = backoffPolicy({ maxAttempts: Infinity, baseMs: 100, maxMs: 1000, maxElapsedMs: 5000 });
    expect(p({ attempt: 50, elapsedMs: 4999 })).toBe(1000);
    expect(p({ attempt: 1, elapsedMs: 5000 })).toBeNull();
  });

  it('jitter stays within its fraction', () => {
    const lo = backoffPolicy({ maxAttempts: 3, baseMs: 1000, maxMs: 1000, jitter: 0.3, random: () => 0 });
    const hi = backoffPolicy({ maxAttempts: 3, baseMs: 1000, maxMs: 1000, jitter: 0.3, random: () => 0.999999 });
    expect(lo({ attempt: 0, elapsedMs: 0 })).toBe(700);
    expect(hi({ attempt: 0, elapsedMs: 0 })).toBe(1000);
  });

  it('the peer policy is bounded', () => {
    const s = new RetryState(peerRetryPolicy);
    const delays: Array<number | null> = [];
    for (let i = 0; i < 6; i++) delays.push(s.next('ice failed'));
    expect(delays).toEqual([500, 1000, 2000, 4000, null, null]);
  });

  it('RetryState passes attempt, elapsed time and reason, and resets', () => {
    let now = 1000;
    const seen: unknown[] = [];
    const s = new RetryState((ctx) => {
      seen.push(ctx);
      return 10;
    }, () => now);
    s.next('a');
    now = 1500;
    s.next('b');
    expect(seen).toEqual([{ attempt: 0, elapsedMs: 0, reason: 'a' }, { attempt: 1, elapsedMs: 500, reason: 'b' }]);
    s.reset();
    s.next();
    expect(seen[2]).toEqual({ attempt: 0, elapsedMs: 0 });
  });
});
