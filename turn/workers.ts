/**
 * How a relay of N workers (TURN_WORKERS, turn/pool.ts) divides what one relay would own, and how
 * their figures are put back together. Pure functions, no processes: the pool and its tests use them.
 *
 * - Ports: worker i listens on `port + i` (UDP and TCP) and `tlsPort + i` (TLS); with port 0 each
 *   worker picks a free one of its own.
 * - Relay ports: `minPort..maxPort` is cut into N disjoint slices, so two workers never race for
 *   one port (and a port names its worker).
 * - TURN_TOTAL_QUOTA is divided (the remainder to the first workers): it bounds the host's
 *   allocations, sockets and memory, which the workers share, so the sum stays the configured one.
 *   The per-user quota, the per-IP connection cap and the 401 rate limit stay per worker
 *   (docs/turn.md "Quotas across workers" says why).
 */
import type { RelayConfig } from './config.js';
import { RELAY_FAMILIES } from './metrics.js';
import type { MetricFamily, RelayStats } from './types.js';

/** The relay ports of worker `i` of `n`: an equal slice of `min..max`, the remainder to the last. */
export function portSlice(min: number, max: number, i: number, n: number): { min: number; max: number } {
  const per = Math.floor((max - min + 1) / n);
  if (per < 1) throw new RangeError(`relay ports ${min}..${max} cannot be split between ${n} workers`);
  return { min: min + i * per, max: i === n - 1 ? max : min + (i + 1) * per - 1 };
}

/** Worker `i`'s share of `total` allocations: floor(total / n), plus one for the first total % n. */
export function quotaShare(total: number, i: number, n: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

/** The config of worker `i` of `n` (a one-worker relay): its ports, relay-port slice and quota share. */
export function workerConfig(config: RelayConfig, i: number, n: number): RelayConfig {
  const slice = portSlice(config.minPort, config.maxPort, i, n);
  return {
    ...config,
    port: config.port === 0 ? 0 : config.port + i,
    tlsPort: config.tlsPort === 0 ? 0 : config.tlsPort + i,
    minPort: slice.min,
    maxPort: slice.max,
    totalQuota: quotaShare(config.totalQuota, i, n),
    workers: 1,
  };
}

/** The workers' stats added up (every field is a count or a total). */
export function sumStats(all: readonly RelayStats[]): RelayStats {
  const out = { ...all[0]! };
  for (const s of all.slice(1)) for (const k of Object.keys(out) as Array<keyof RelayStats>) out[k] += s[k];
  return out;
}

/** The family a pool adds: which workers answered this scrape. */
export const WORKER_UP = 'switchboard_turn_worker_up';

/**
 * The families a pool reports besides its workers' process metrics: the relay's own, each sample
 * labelled with its `worker`, and {@link WORKER_UP}.
 */
export const POOL_FAMILIES: ReadonlyArray<Pick<MetricFamily, 'name' | 'type' | 'help'> & { labelNames: readonly string[] }> = [
  ...RELAY_FAMILIES.map((f) => ({ ...f, labelNames: [...f.labelNames, 'worker'] })),
  {
    name: WORKER_UP,
    type: 'gauge',
    labelNames: ['worker'],
    help: 'Whether each relay worker (TURN_WORKERS) answered this scrape (1) or not (0: restarting, hung)',
  },
];

/**
 * The workers' families as one list, one family per name (a Prometheus exposition may name a
 * family once): every sample gets its worker's `worker` label. `answers[i]` is worker i's families,
 * or undefined when it did not answer; such a worker has no series but its {@link WORKER_UP} 0.
 */
export function mergeFamilies(answers: ReadonlyArray<MetricFamily[] | undefined>): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  answers.forEach((families, i) => {
    for (const f of families ?? []) {
      let into = byName.get(f.name);
      if (!into) byName.set(f.name, (into = { name: f.name, help: f.help, type: f.type, values: [] }));
      for (const v of f.values) into.values.push({ ...v, labels: { ...v.labels, worker: String(i) } });
    }
  });
  const up = POOL_FAMILIES.at(-1)!;
  byName.set(WORKER_UP, { name: up.name, help: up.help, type: up.type, values: answers.map((a, i) => ({ value: a ? 1 : 0, labels: { worker: String(i) } })) });
  return [...byName.values()];
}
