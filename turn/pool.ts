/**
 * The relay on every core: TURN_WORKERS relays, each in a child process of its own
 * ({@link RelayProcess}, restarted on its own when it dies), each on its own ports (worker i on
 * `port + i`, turn/workers.ts). One port per worker rather than one shared port because whoever
 * hands out the ICE servers (the signaling server) can then send both peers of a room to the same
 * worker, by a stable hash of the room name, and relay-to-relay traffic between them stays inside
 * that worker's process (allocation.ts, `local`). A shared port (`SO_REUSEPORT`, dgram's
 * `reusePort` from Node 22.12 only) would spread clients by the kernel's hash of each 5-tuple,
 * splitting a room's two peers across workers half the time.
 *
 * The pool is a {@link Relay}: `start()` resolves with worker 0's addresses plus every worker's in
 * `workers`; `stats()` adds the workers' figures up; `metrics()` merges their families, labelling
 * each sample with its `worker`; allocation and child events come from every worker (child events
 * carry `worker`).
 */
import { EventEmitter } from 'node:events';
import { RelayProcess, type RelayProcessOptions } from './child.js';
import type { RelayConfig } from './config.js';
import type { RelayLogger } from './options.js';
import type { MetricFamily, Relay, RelayAddresses, RelayEvents, RelayStats } from './types.js';
import { mergeFamilies, sumStats, workerConfig } from './workers.js';

/** Options of {@link startRelayPool}: those of every worker's {@link RelayProcess}. */
export type RelayPoolOptions = RelayProcessOptions;

/** A logger that adds `worker` to every line it passes on. */
function workerLogger(log: RelayLogger | undefined, worker: number): RelayLogger | undefined {
  if (!log) return undefined;
  const at =
    (level: keyof RelayLogger) =>
    (obj: object | string, msg?: string): void =>
      typeof obj === 'string' ? log[level]({ worker }, obj) : log[level]({ ...obj, worker }, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `config.workers` relays in child processes, one port each; made by {@link startRelayPool}. */
export class RelayPool extends EventEmitter<RelayEvents> implements Relay {
  /** The workers, in order: worker i listens on `port + i`. */
  readonly workers: readonly RelayProcess[];
  /** Worker 0's addresses and, in `workers`, every worker's; set once `start()` resolved. */
  addresses: RelayAddresses | undefined;
  private starting: Promise<RelayAddresses> | undefined;
  private stopping: Promise<void> | undefined;

  /** Does not fork yet: `start()` does. */
  constructor(config: RelayConfig, opts: RelayPoolOptions = {}) {
    super();
    const n = config.workers ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`workers must be a positive integer, not ${n}`);
    this.workers = Array.from({ length: n }, (_, i) => {
      const w = new RelayProcess(workerConfig(config, i, n), { ...opts, logger: workerLogger(opts.logger, i) });
      w.on('allocation-created', (e) => this.emit('allocation-created', e));
      w.on('allocation-deleted', (e) => this.emit('allocation-deleted', e));
      w.on('child-exit', (e) => this.emit('child-exit', { ...e, worker: i }));
      w.on('child-restarted', (e) => this.emit('child-restarted', { ...e, worker: i }));
      return w;
    });
  }

  /** The workers' current pids, in order (undefined for one between a crash and its restart). */
  get pids(): Array<number | undefined> {
    return this.workers.map((w) => w.pid);
  }

  /**
   * Starts every worker at once; resolves when all listen. If one fails to start, the others are
   * stopped and the error is the first failure's. Later calls return the same promise.
   */
  start(): Promise<RelayAddresses> {
    if (this.stopping) return Promise.reject(new Error('relay pool stopped'));
    this.starting ??= (async () => {
      const started = await Promise.allSettled(this.workers.map((w) => w.start()));
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) {
        await Promise.all(this.workers.map((w) => w.stop()));
        throw failed.reason;
      }
      const each = started.map((r) => (r as PromiseFulfilledResult<RelayAddresses>).value);
      this.addresses = { ...each[0]!, workers: each };
      return this.addresses;
    })();
    return this.starting;
  }

  /** Stops every worker (each waits for a clean exit, then kills); no restarts afterwards. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.workers.map((w) => w.stop())).then(() => undefined);
    return this.stopping;
  }

  /**
   * The workers' stats added up. A worker that does not answer (restarting, hung) is left out, so
   * its allocations and counters drop from the sum until it is back (its allocations are gone
   * with it anyway); rejects only when none answers.
   */
  async stats(): Promise<RelayStats> {
    const all = await Promise.allSettled(this.workers.map((w) => w.stats()));
    const ok = all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (!ok.length) throw (all[0] as PromiseRejectedResult).reason;
    return sumStats(ok);
  }

  /**
   * Every worker's families, merged one family per name, each sample labelled `worker`, and
   * `switchboard_turn_worker_up` (1 for a worker that answered, 0 for one that did not: its series
   * are left out).
   */
  async metrics(): Promise<MetricFamily[]> {
    const all = await Promise.allSettled(this.workers.map((w) => w.metrics()));
    return mergeFamilies(all.map((r) => (r.status === 'fulfilled' ? r.value : undefined)));
  }

  /** Every worker loads its TLS certificate and key again; true when all did. */
  async reloadTls(): Promise<boolean> {
    const all = await Promise.allSettled(this.workers.map((w) => w.reloadTls()));
    return all.every((r) => r.status === 'fulfilled' && r.value);
  }
}

/**
 * The relay as `config.workers` child processes (default 1), one port each (see
 * {@link RelayPool}); call `start()` on the result. The config, secret included, goes to each
 * child over IPC only.
 */
export function startRelayPool(config: RelayConfig, opts: RelayPoolOptions = {}): RelayPool {
  return new RelayPool(config, opts);
}
