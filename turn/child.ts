/**
 * Run the relay in a child process so that a fault in it cannot take the signaling server down.
 *
 * `startRelayProcess(config, opts)` returns a `Relay`: `start()` forks `child-entry.ts` with
 * `process.execPath --import tsx`, sends the config over IPC and resolves with the bound
 * addresses; `stats()` and `metrics()` ask the child (with a timeout); allocation events are forwarded. If the
 * child dies unexpectedly, or stops answering the heartbeat, it is restarted with exponential
 * backoff on the same ports (events 'child-exit' and 'child-restarted'). `stop()` asks the child to stop, waits up to
 * `stopTimeoutMs`, then kills it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { RelayConfig } from './config.js';
import type { ChildMessage, ParentMessage, SerializableRelayOptions } from './ipc.js';
import type { RelayLogger } from './options.js';
import type { MetricFamily, Relay, RelayAddresses, RelayEvents, RelayStats } from './types.js';

/** Options of {@link startRelayProcess}; every one has a default. */
export interface RelayProcessOptions {
  /** Options passed to createRelay in the child (serializable ones only). */
  relayOptions?: SerializableRelayOptions;
  /** Delay before restart number `attempt` (0-based), or null to give up. Default 250 ms doubling to 10 s. */
  restartDelay?: (attempt: number) => number | null;
  /** Timeout for the child's start (loading tsx, binding ports). Default 30 s. */
  startTimeoutMs?: number;
  /** Timeout for stats/stop requests and heartbeats. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long stop() waits for a clean exit before SIGKILL. Default 5 s. */
  stopTimeoutMs?: number;
  /**
   * Liveness check: every `heartbeatMs` the child is asked for its stats; after `heartbeatMisses`
   * unanswered checks in a row (each waits `requestTimeoutMs`) a hung child is killed and, like a
   * crashed one, restarted. Default 10 s and 3; 0 disables.
   */
  heartbeatMs?: number;
  /** Unanswered heartbeats in a row after which the child is killed (see `heartbeatMs`). Default 3. */
  heartbeatMisses?: number;
  /** Receives the parent's messages (exits, restarts) and the child's log lines. Default none. */
  logger?: RelayLogger;
  /** Override the entry file (tests). */
  entry?: string;
}

const defaultDelay = (attempt: number): number => Math.min(250 * 2 ** attempt, 10_000);

/**
 * A {@link Relay} run in a child process, restarted when it dies or hangs; made by
 * {@link startRelayProcess}. Besides the relay's events it emits `child-exit` and
 * `child-restarted`.
 */
export class RelayProcess extends EventEmitter<RelayEvents> implements Relay {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private config: RelayConfig;
  private stopping: Promise<void> | undefined;
  private starting: Promise<RelayAddresses> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private startedAt = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  /** The current child answered `start` (the heartbeat leaves a starting child alone). */
  private ready = false;
  private misses = 0;
  private probing = false;
  /** The addresses the child bound, once `start()` resolved; restarts keep the same ports. */
  addresses: RelayAddresses | undefined;

  /** Does not fork yet: `start()` does. `config` is copied. */
  constructor(
    config: RelayConfig,
    private readonly opts: RelayProcessOptions = {},
  ) {
    super();
    this.config = { ...config };
  }

  /** The current child's pid (undefined between a crash and its restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get log(): RelayLogger | undefined {
    return this.opts.logger;
  }

  /**
   * Forks the child, sends it the config over IPC and resolves with the addresses it bound; later
   * calls return the same promise. Rejects after `stop()`, or when the child fails to start within
   * `startTimeoutMs`.
   */
  start(): Promise<RelayAddresses> {
    if (this.stopping) return Promise.reject(new Error('relay process stopped'));
    this.starting ??= this.spawn().then((a) => {
      // Restarts reuse the ports bound the first time (clients keep their URLs).
      this.config = { ...this.config, port: a.udp.port, tlsPort: a.tls?.port ?? this.config.tlsPort };
      this.startHeartbeat();
      return a;
    });
    return this.starting;
  }

  private startHeartbeat(): void {
    const every = this.opts.heartbeatMs ?? 10_000;
    if (every <= 0) return;
    this.heartbeat = setInterval(() => {
      const child = this.child;
      if (this.probing || !this.ready || !child?.connected || this.stopping) return;
      this.probing = true;
      this.request({ t: 'stats', id: 0 }).then(
        () => {
          this.misses = 0;
          this.probing = false;
        },
        () => {
          this.probing = false;
          if (this.child !== child) return; // it exited meanwhile: onExit handles it
          if (++this.misses < (this.opts.heartbeatMisses ?? 3)) return;
          this.misses = 0;
          this.log?.error({ pid: child.pid }, 'turn child: not answering, killing it');
          child.kill('SIGKILL');
        },
      );
    }, every);
    this.heartbeat.unref();
  }

  private async spawn(): Promise<RelayAddresses> {
    const entry = this.opts.entry ?? fileURLToPath(new URL(`./child-entry${SOURCE ? '.ts' : '.js'}`, import.meta.url));
    const child = fork(entry, [], {
      execPath: process.execPath,
      // From source (tests, `npm run turn` in development) the child needs tsx like its parent;
      // the compiled package (dist/, what `npm start` and the image run) is plain JavaScript.
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    this.ready = false;
    this.misses = 0;
    child.on('message', (m: ChildMessage) => this.onMessage(m));
    child.on('error', (err) => this.log?.error({ err }, 'turn child: process error'));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    const start: ParentMessage = { t: 'start', id: 0, config: this.config, options: this.opts.relayOptions ?? {} };
    const addresses = (await this.request(start, this.opts.startTimeoutMs ?? 30_000)) as RelayAddresses;
    this.addresses = addresses;
    this.startedAt = performance.now();
    if (this.child === child) this.ready = true;
    return addresses;
  }

  private onMessage(m: ChildMessage): void {
    if (m.t === 'reply') {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    } else if (m.t === 'event') {
      (this.emit as (n: string, p: unknown) => boolean)(m.name, m.payload);
    } else if (m.t === 'log') {
      this.log?.[m.level](m.obj, m.msg);
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.ready = false;
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new Error(`relay child exited (code ${code}, signal ${signal})`));
      this.waiting.delete(id);
    }
    if (this.stopping) return;
    if (performance.now() - this.startedAt > 30_000) this.attempt = 0;
    const delay = (this.opts.restartDelay ?? defaultDelay)(this.attempt);
    const willRestart = delay !== null && this.addresses !== undefined;
    this.log?.error({ code, signal, willRestart, delay }, 'turn child: exited unexpectedly');
    this.emit('child-exit', { code, signal, willRestart });
    if (!willRestart) return;
    const attempt = this.attempt++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.spawn().then(
        (addresses) => {
          this.log?.info({ attempt, addresses }, 'turn child: restarted');
          this.emit('child-restarted', { attempt, addresses });
        },
        (err: unknown) => {
          this.log?.error({ err }, 'turn child: restart failed');
          this.child?.kill('SIGKILL');
        },
      );
    }, delay);
  }

  private request(m: ParentMessage, timeoutMs = this.opts.requestTimeoutMs ?? 10_000): Promise<unknown> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error('relay child not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`relay child did not answer ${m.t} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      child.send({ ...m, id });
    });
  }

  /** The child's current stats; rejects when it is not running or does not answer within `requestTimeoutMs`. */
  stats(): Promise<RelayStats> {
    return this.request({ t: 'stats', id: 0 }) as Promise<RelayStats>;
  }

  /**
   * The child's Prometheus metrics: the relay's own and the child process's (labelled
   * `process="relay"`); rejects like {@link RelayProcess.stats}.
   */
  metrics(): Promise<MetricFamily[]> {
    return this.request({ t: 'metrics', id: 0 }) as Promise<MetricFamily[]>;
  }

  /** Asks the child to load its TLS certificate and key again (see Relay.reloadTls). */
  reloadTls(): Promise<boolean> {
    return this.request({ t: 'reload-tls', id: 0 }) as Promise<boolean>;
  }

  /** Asks the child to stop, and kills it after `stopTimeoutMs`; no restarts afterwards. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.restartTimer) clearTimeout(this.restartTimer);
      if (this.heartbeat) clearInterval(this.heartbeat);
      await this.starting?.catch(() => {});
      const child = this.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const timeout = this.opts.stopTimeoutMs ?? 5000;
      await this.request({ t: 'stop', id: 0 }).catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
      await exited;
      clearTimeout(timer);
    })();
    return this.stopping;
  }
}

/** This module runs from its TypeScript source (through tsx) rather than from dist/. */
const SOURCE = import.meta.url.endsWith('.ts');

/**
 * The relay in a child process, so that a fault in it cannot take the caller down; call `start()`
 * on the result. The config (secret included) goes to the child over IPC only, never argv or env.
 */
export function startRelayProcess(config: RelayConfig, opts: RelayProcessOptions = {}): RelayProcess {
  return new RelayProcess(config, opts);
}
