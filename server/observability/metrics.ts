/**
 * Prometheus metrics (prom-client), one Registry per app so several apps in one process (tests) do
 * not collide. Signaling counters are fed by the SignalingObserver hooks; gauges and the relay's
 * figures are read at scrape time.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ErrorCode } from '../protocol/index.js';
import type { SignalingObserver } from '../signaling/context.js';
import type { RelayStats } from '../../turn/types.js';

export interface MetricSources {
  signalingStats(): Promise<{ sockets: number; rooms: number; peers: number }>;
  relayStats(): Promise<RelayStats | null>;
}

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

export class Metrics implements SignalingObserver {
  readonly registry = new Registry();
  private readonly joins: Counter<'resumed'>;
  private readonly errors: Counter<'event' | 'code'>;
  private readonly rateLimited: Counter;
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** Plain running totals, for the live feed's per-second rates. */
  readonly totals = { signals: 0, joins: 0 };

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.joins = new Counter({ name: 'switchboard_joins_total', help: 'Successful joins', labelNames: ['resumed'], registers });
    // The hot path (every ICE candidate) only bumps `totals.signals`; the counter reads it at
    // scrape time instead of a prom-client inc() (label hashing) per message.
    const totals = this.totals;
    new Counter({ name: 'switchboard_signals_relayed_total', help: 'Signal messages relayed between peers', registers, collect() { this.reset(); this.inc(totals.signals); } });
    this.errors = new Counter({ name: 'switchboard_errors_total', help: 'Error answers by event and code', labelNames: ['event', 'code'], registers });
    this.rateLimited = new Counter({ name: 'switchboard_rate_limited_total', help: 'Events refused by the per-socket rate limit', registers });
    const gauge = (name: string, help: string, read: () => Promise<number>) =>
      new Gauge({ name, help, registers, async collect() { this.set(await read()); } });
    gauge('switchboard_connected_sockets', 'Connected Socket.IO sockets on this node', async () => (await sources.signalingStats()).sockets);
    gauge('switchboard_rooms', 'Rooms with at least one peer', async () => (await sources.signalingStats()).rooms);
    gauge('switchboard_peers', 'Peers in rooms', async () => (await sources.signalingStats()).peers);
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
    let relayCache: Promise<RelayStats | null> | undefined;
    // One relay stats call per scrape, shared by every relay metric.
    const relay = () => (relayCache ??= sources.relayStats().finally(() => setImmediate(() => (relayCache = undefined))));
    for (const [name, help, field, counter] of RELAY) {
      const read = async () => Number((await relay())?.[field] ?? 0);
      if (counter) {
        new Counter({ name, help, registers, async collect() { this.reset(); this.inc(await read()); } });
      } else {
        gauge(name, help, read);
      }
    }
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

  signalRelayed(): void {
    this.totals.signals++;
  }

  error(event: string, code: ErrorCode): void {
    // Unknown event names are client-chosen: bucket them so labels stay bounded.
    const known = ['join', 'signal', 'leave', 'ice-servers'].includes(event) ? event : 'other';
    this.errors.inc({ event: known, code });
    if (code === 'rate-limited') this.rateLimited.inc();
  }
}
