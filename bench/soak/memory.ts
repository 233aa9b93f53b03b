/**
 * Is the server's memory flat? From the samples after warm-up: the growth from their start to
 * their end, each the median of a few samples (one sample may catch a GC or a burst of joins),
 * and the least-squares slope over all of them (what a long run's verdict should rest on).
 */
import type { Sample } from './churn.js';

export const MiB = 2 ** 20;

export interface Growth {
  /** Samples after warm-up. */
  n: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssGrowthMiB: number;
  rssMaxMiB: number;
  heapGrowthMiB: number;
  /** Least-squares slope of RSS, MiB per minute. */
  rssSlopeMiBPerMin: number;
}

/** Growth over the samples after warm-up; undefined with fewer than 2 of them. */
export function memoryGrowth(samples: Sample[]): Growth | undefined {
  const s = samples.filter((x) => !x.warmup);
  if (s.length < 2) return undefined;
  const k = Math.max(1, Math.min(3, Math.floor(s.length / 3)));
  const rss = s.map((x) => x.rss / MiB);
  const heap = s.map((x) => x.heapUsed / MiB);
  return {
    n: s.length,
    rssStartMiB: median(rss.slice(0, k)),
    rssEndMiB: median(rss.slice(-k)),
    rssGrowthMiB: median(rss.slice(-k)) - median(rss.slice(0, k)),
    rssMaxMiB: Math.max(...rss),
    heapGrowthMiB: median(heap.slice(-k)) - median(heap.slice(0, k)),
    rssSlopeMiBPerMin: slope(s.map((x) => x.at / 60_000), rss),
  };
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : 0;
}
