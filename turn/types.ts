/**
 * The relay's public interface. The signaling server sees the relay only through this (and the
 * shared TURN secret); whether the relay runs in this process, in a child process, or is an
 * external coturn, the rest of the code does not care.
 */
import type { EventEmitter } from 'node:events';

/** The relay's counters and gauges, as {@link Relay.stats} reports them. Byte counts are application data, without STUN/TURN framing. */
export interface RelayStats {
  /** Allocations right now (RFC 8656 section 6). */
  allocations: number;
  /** Permissions right now, over all allocations (section 9). */
  permissions: number;
  /** Channel bindings right now, over all allocations (section 12). */
  channels: number;
  /** Client -> peer direction (relayed out of the relay socket). */
  packetsToPeers: number;
  /** Bytes relayed client -> peer. */
  bytesToPeers: number;
  /** Peer -> client direction (Data indications or ChannelData to the client). */
  packetsToClients: number;
  /** Bytes relayed peer -> client. */
  bytesToClients: number;
  /** Requests refused by authentication (401 challenges, 438 stale nonce, bad credentials). */
  authFailures: number;
  /** Requests refused with 403 because the peer address is not allowed. */
  forbidden: number;
  /** Allocations ever created (a counter, for rates). */
  allocationsTotal: number;
  /** Open relay (peer-facing) sockets right now; 0 after every allocation is freed. */
  relaySockets: number;
  /**
   * Datagrams and stream frames dropped because their socket's send queue was over its bound
   * (the kernel, or a TCP/TLS client, took data slower than it came).
   */
  sendQueueDrops: number;
  /** TCP/TLS connections refused or closed by the per-IP cap or the no-allocation bound. */
  streamsClosed: number;
}

/**
 * One Prometheus metric family in prom-client's JSON form (`Registry.getMetricsAsJSON()`), as
 * {@link Relay.metrics} reports it. A histogram's values carry `metricName` (`<name>_bucket` with
 * an `le` label, `<name>_sum`, `<name>_count`).
 */
export interface MetricFamily {
  /** The family's name, e.g. `process_resident_memory_bytes`. */
  name: string;
  /** Its HELP text. */
  help: string;
  /** Its TYPE. */
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  /** Its samples. */
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string | undefined }>;
}

/** An allocation, as the `allocation-created` and `allocation-deleted` events describe it. */
export interface AllocationEvent {
  /** The 5-tuple's client side, as "transport:ip:port". */
  client: string;
  /**
   * The first relayed transport address, as "ip:port" (IPv6 in brackets): the one of the family
   * the client asked for (REQUESTED-ADDRESS-FAMILY, IPv4 by default). A dual allocation has a
   * second one: see {@link AllocationEvent.relayedAll}.
   */
  relayed: string;
  /**
   * Every relayed transport address of the allocation, the same way, first the one `relayed`
   * names: one, or two for a dual allocation (RFC 8656 section 7.2, ADDITIONAL-ADDRESS-FAMILY:
   * IPv4 and IPv6).
   */
  relayedAll: string[];
  /** The authenticated username that owns it. */
  username: string;
}

/** The relay's events (EventEmitter name -> listener arguments). */
export interface RelayEvents {
  /** A client got an allocation. */
  'allocation-created': [AllocationEvent];
  /**
   * An allocation ended. `reason`: `expired` (its lifetime ran out), `refresh` (a Refresh with
   * lifetime 0, RFC 8656 section 8), `stop` (the relay stopped), `disconnect` (a TCP/TLS client's
   * connection closed), `error`.
   */
  'allocation-deleted': [AllocationEvent & { reason: 'expired' | 'refresh' | 'stop' | 'error' | 'disconnect' }];
  /** Only from startRelayProcess and startRelayPool: a child process exited unexpectedly (`worker`: which one, from a pool). */
  'child-exit': [{ code: number | null; signal: string | null; willRestart: boolean; worker?: number | undefined }];
  /** Only from startRelayProcess and startRelayPool: a new child is serving again (same ports; `worker`: which one, from a pool). */
  'child-restarted': [{ attempt: number; addresses: RelayAddresses; worker?: number | undefined }];
}

/** Where a started relay listens for clients. */
export interface RelayAddresses {
  /** The UDP listener. */
  udp: { address: string; port: number };
  /** The TCP listener, on the same port number as UDP. */
  tcp: { address: string; port: number };
  /** The TLS listener; undefined without a certificate. */
  tls?: { address: string; port: number } | undefined;
  /**
   * From a relay of several workers (startRelayPool, TURN_WORKERS): every worker's own listeners,
   * in worker order (the fields above are worker 0's). Clients of one room should be given one
   * worker's ports, so that relay-to-relay traffic between them stays inside one process.
   */
  workers?: RelayAddresses[] | undefined;
}

/** A STUN/TURN relay (RFC 8489, RFC 8656), in this process or another. */
export interface Relay extends EventEmitter<RelayEvents> {
  /** Bind every listener; resolves with the bound addresses (ports may have been 0). */
  start(): Promise<RelayAddresses>;
  /** Close every socket and timer; the process can exit afterwards. Idempotent. */
  stop(): Promise<void>;
  /** Current counters and gauges. */
  stats(): Promise<RelayStats>;
  /**
   * The relay's Prometheus metrics: Allocate latency and error answers by code (turn/metrics.ts)
   * and, when it runs in a child process, that process's default metrics labelled
   * `process="relay"`. Optional: a relay without it contributes only its {@link Relay.stats}.
   */
  metrics?(): Promise<MetricFamily[]>;
  /**
   * Load the TLS certificate and key again (TURN_TLS_CERT/TURN_TLS_KEY paths; SIGHUP calls it):
   * new TLS connections get the new pair, established ones keep theirs. Resolves false, keeping
   * the old pair, when the new one does not load (logged), or when there is no TLS listener.
   * Optional: a relay without TLS support need not have it.
   */
  reloadTls?(): Promise<boolean>;
}
