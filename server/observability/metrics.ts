/**
 * Prometheus metrics (prom-client), one Registry per app so several apps in one process (tests) do
 * not collide. Signaling counters are fed by the SignalingObserver hooks; gauges and the relay's
 * figures are read at scrape time. Besides its own, the registry serves read-through families
 * (families.ts): this process's default metrics (`process="server"`), the relay workers'
 * (`process="relay"` and `worker`, forwarded over their IPC channels) and the relay's Allocate
 * latency and error answers (by `worker`); the relay's counts (allocations, packets...) are
 * summed over the workers. Every series carries `node` (NODE_ID). docs/operations.md lists every metric.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../protocol/index.js';
import type { SignalingObserver } from '../signaling/context.js';
import { familiesOf, processRegistry } from '../../turn/metrics.js';
import { POOL_FAMILIES, WORKER_UP } from '../../turn/workers.js';
import type { MetricFamily, RelayStats } from '../../turn/types.js';
import { FastHistogram, registerReadThrough, samplesOf } from './families.js';

export interface MetricSources {
  signalingStats(): Promise<{ sockets: number; rooms: number; peers: number }>;
  relayStats(): Promise<RelayStats | null>;
  /** The relay's families (its own and its process's); null without a relay or when it did not answer. */
  relayMetrics(): Promise<MetricFamily[] | null>;
}

export interface MetricsOptions {
  /** The `node` label on every series (NODE_ID; default the host name). */
  nodeId: string;
  /** The embedded relay's allocation quota (TURN_TOTAL_QUOTA); undefined without an embedded relay. */
  relayQuota?: number | undefined;
}

/** Join answered, seconds: a registry call (a Redis round trip in a cluster), JWT checks, the app's authorize hook (AUTHORIZE_TIMEOUT_MS, 5 s by default). */
export const JOIN_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Signal arrival to emit, seconds: microseconds to a peer on this node, a Redis lookup to one elsewhere; queueing behind the socket's earlier events shows in the upper buckets. */
export const SIGNAL_BUCKETS: readonly number[] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** ICE servers answered, seconds: an HMAC per relay, plus a room-token check over HTTP. */
export const ICE_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Relay figures: [metric name, help, stats field, counter?] */
const RELAY: Array<[string, string, keyof RelayStats, boolean]> = [
  ['switchboard_turn_allocations', 'Current TURN allocations', 'allocations', false],
  ['switchboard_turn_permissions', 'Current TURN permissions', 'permissions', false],
  ['switchboard_turn_channels', 'Current TURN channel bindings', 'channels', false],
  ['switchboard_turn_relay_sockets', 'Open relayed-transport sockets', 'relaySockets', false],
  ['switchboard_turn_allocations_total', 'TURN allocations created', 'allocationsTotal', true],
  ['switchboard_turn_packets_to_peers_total', 'Packets relayed client -> peer', 'packetsToPeers', true],
  ['switchboard_turn_bytes_to_peers_total', 'Bytes relayed client -> peer', 'bytesToPeers', true],
  ['switchboard_turn_packets_to_clients_total', 'Packets relayed peer -> client', 'packetsToClients', true],
  ['switchboard_turn_bytes_to_clients_total', 'Bytes relayed peer -> client', 'bytesToClients', true],
  ['switchboard_turn_auth_failures_total', 'TURN requests refused for credentials', 'authFailures', true],
  ['switchboard_turn_forbidden_total', 'TURN requests refused with 403 (forbidden peer)', 'forbidden', true],
  ['switchboard_turn_send_queue_drops_total', 'TURN packets dropped at a full send queue', 'sendQueueDrops', true],
  ['switchboard_turn_streams_closed_total', 'TURN TCP/TLS connections refused or closed by the per-IP cap or the no-allocation bound', 'streamsClosed', true],
];

/** This process's default metrics, one registry for every app in it (they share the process). */
let serverProcess: Registry | undefined;

/** `read` once per scrape, however many families ask: the first call starts it, the next tick forgets it. */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= read().finally(() => setImmediate(() => (cached = undefined))));
}

export class Metrics implements SignalingObserver {
  readonly registry = new Registry();
  private readonly joins: Counter<'resumed'>;
  private readonly errors: Counter<'event' | 'code'>;
  private readonly rateLimited: Counter;
  private readonly joinLatency: Histogram<'result'>;
  private readonly iceLatency: Histogram<'via'>;
  private readonly signalLatency = new FastHistogram('switchboard_signal_forward_seconds', SIGNAL_BUCKETS);
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** Plain running totals, for the live feed's per-second rates. */
  readonly totals = { signals: 0, signalsCrossNode: 0, joins: 0 };

  constructor(sources: MetricSources, opts: MetricsOptions) {
    this.registry.setDefaultLabels({ node: opts.nodeId });
    const registers = [this.registry];
    this.joins = new Counter({ name: 'switchboard_joins_total', help: 'Successful joins', labelNames: ['resumed'], registers });
    // The hot path (every ICE candidate) only bumps `totals.signals`; the counter reads it at
    // scrape time instead of a prom-client inc() (label hashing) per message.
    const totals = this.totals;
    new Counter({ name: 'switchboard_signals_relayed_total', help: 'Signal messages relayed between peers', registers, collect() { this.reset(); this.inc(totals.signals); } });
    new Counter({ name: 'switchboard_signals_cross_node_total', help: 'Signals relayed through the cluster adapter (the recipient not on this node)', registers, collect() { this.reset(); this.inc(totals.signalsCrossNode); } });
    this.errors = new Counter({ name: 'switchboard_errors_total', help: 'Error answers by event and code', labelNames: ['event', 'code'], registers });
    this.rateLimited = new Counter({ name: 'switchboard_rate_limited_total', help: 'Events refused by the per-socket rate limit', registers });
    const gauge = (name: string, help: string, read: () => Promise<number | undefined>) =>
      registerReadThrough(this.registry, { name, help, type: 'gauge' }, async () => {
        const v = await read();
        return v === undefined ? [] : [{ labels: {}, value: v }];
      });
    // Room counts come from the registry (Redis in a cluster): while it is unreachable these
    // series are left out of the scrape, which still answers (the rest is what one looks at then).
    const signaling = perScrape(() => sources.signalingStats().catch(() => undefined));
    gauge('switchboard_connected_sockets', 'Connected Socket.IO sockets on this node', async () => (await signaling())?.sockets);
    gauge('switchboard_rooms', 'Rooms with at least one peer', async () => (await signaling())?.rooms);
    gauge('switchboard_peers', 'Peers in rooms', async () => (await signaling())?.peers);
    const loop = this.loop;
    new Gauge({
      name: 'switchboard_event_loop_lag_seconds',
      help: 'Event loop delay since the last scrape',
      labelNames: ['stat'],
      registers,
      collect() {
        const v = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
        this.set({ stat: 'mean' }, v(loop.mean));
        this.set({ stat: 'p99' }, v(loop.percentile(99)));
        this.set({ stat: 'max' }, v(loop.max));
        loop.reset();
      },
    });
    this.joinLatency = new Histogram({ name: 'switchboard_join_seconds', help: 'Joins answered, from arrival to the answer, by result (ok or error)', labelNames: ['result'], buckets: [...JOIN_BUCKETS], registers });
    this.iceLatency = new Histogram({
      name: 'switchboard_ice_servers_seconds',
      help: 'ICE-server credentials minted, from the request to the answer, by way of asking (the ice-servers event, GET /api/ice-servers, a room page)',
      labelNames: ['via'],
      buckets: [...ICE_BUCKETS],
      registers,
    });
    const signal = this.signalLatency;
    registerReadThrough(this.registry, { name: signal.name, type: 'histogram', help: 'Signals forwarded, from arrival to the emit towards the recipient' }, async () => signal.values());
    // One relay stats call per scrape, shared by every relay metric.
    const relay = perScrape(sources.relayStats);
    for (const [name, help, field, counter] of RELAY) {
      const read = async () => Number((await relay())?.[field] ?? 0);
      if (counter) {
        new Counter({ name, help, registers, async collect() { this.reset(); this.inc(await read()); } });
      } else {
        gauge(name, help, read);
      }
    }
    this.registerProcessFamilies(sources, opts);
  }

  /** The server's and the relay child's process metrics, and the relay's own families. */
  private registerProcessFamilies(sources: MetricSources, opts: MetricsOptions): void {
    serverProcess ??= processRegistry('server');
    const own = perScrape(() => familiesOf(serverProcess!));
    const relay = perScrape(sources.relayMetrics);
    for (const m of serverProcess.getMetricsAsArray()) {
      // The relay workers' series of the family carry their `worker` too.
      const names = (m as unknown as { labelNames?: string[] }).labelNames ?? [];
      const labelNames = opts.relayQuota === undefined ? names : [...names, 'worker'];
      const head = { name: m.name, help: m.help, type: String(m.type) as MetricFamily['type'], labelNames };
      registerReadThrough(this.registry, head, async () => {
        const [mine, child] = await Promise.all([own(), relay()]);
        return [...samplesOf(mine, m.name), ...samplesOf(child, m.name)];
      });
    }
    if (opts.relayQuota === undefined) return;
    for (const head of POOL_FAMILIES) registerReadThrough(this.registry, head, async () => samplesOf(await relay(), head.name));
    const registers = [this.registry];
    // Up: every worker answered (a relay without workers reports no worker_up: answering is enough).
    const up = async (): Promise<number> => {
      const f = await relay();
      return f && samplesOf(f, WORKER_UP).every((s) => s.value === 1) ? 1 : 0;
    };
    new Gauge({ name: 'switchboard_turn_up', help: 'Whether the embedded relay answered this scrape, every worker of it (1), or not (0: a worker restarting or hung, the relay stopped; switchboard_turn_worker_up says which)', registers, async collect() { this.set(await up()); } });
    const quota = opts.relayQuota;
    new Gauge({ name: 'switchboard_turn_allocation_quota', help: 'Allocations the embedded relay grants in total (TURN_TOTAL_QUOTA)', registers, collect() { this.set(quota); } });
  }

  start(): void {
    this.loop.enable();
  }

  stop(): void {
    this.loop.disable();
  }

  joined(_room: string, resumed: boolean): void {
    this.totals.joins++;
    this.joins.inc({ resumed: String(resumed) });
  }

  signalRelayed(crossNode = false): void {
    this.totals.signals++;
    if (crossNode) this.totals.signalsCrossNode++;
  }

  answered(event: string, ok: boolean, seconds: number): void {
    // The hot path (every ICE candidate) first, and cheap: FastHistogram.
    if (event === 'signal') {
      if (ok) this.signalLatency.observe(seconds);
    } else if (event === 'join') this.joinLatency.observe({ result: ok ? 'ok' : 'error' }, seconds);
    else if (event === 'ice-servers' && ok) this.iceLatency.observe({ via: 'event' }, seconds);
  }

  /** ICE servers minted over HTTP (GET /api/ice-servers, a room page's boot data). */
  iceServersMinted(via: 'http' | 'page', seconds: number): void {
    this.iceLatency.observe({ via }, seconds);
  }

  error(event: string, code: ErrorCode): void {
    // Unknown event names are client-chosen: bucket them so labels stay bounded.
    const known = ['join', 'signal', 'leave', 'ice-servers'].includes(event) ? event : 'other';
    this.errors.inc({ event: known, code });
    if (code === 'rate-limited') this.rateLimited.inc();
  }
}
