/**
 * Relay settings that are not in RelayConfig (config.ts), with their defaults. Everything
 * here is optional; `createRelay(config, opts)` merges it with the config.
 */
/**
 * Where the relay logs: pino-style calls, an object of fields (or a message alone) and an optional
 * message. A pino logger fits as is. Default: silent.
 */
export interface RelayLogger {
  /** Detail for debugging. */
  debug(obj: object | string, msg?: string): void;
  /** Normal operation: relay listening, child process restarted. */
  info(obj: object | string, msg?: string): void;
  /** A problem the relay works around. */
  warn(obj: object | string, msg?: string): void;
  /** A failure: a handler or the sweep threw, the child process died or hung. */
  error(obj: object | string, msg?: string): void;
}

/**
 * Relay settings that are not operator choices (timers, bounds, test hooks), each with its default;
 * the second argument of {@link createRelay}.
 */
export interface RelayOptions {
  /**
   * Monotonic clock in milliseconds for every lifetime, timer and rate (allocations, permissions,
   * channels, nonces, caches, limiters): a step of the wall clock (NTP, an operator's `date -s`)
   * cannot expire or extend anything. Tests inject a fake one. Default `performance.now`.
   */
  now?: () => number;
  /**
   * Wall clock in milliseconds (unix time), used only where the protocol carries unix time: the
   * expiry in TURN REST usernames. Default Date.now.
   */
  wallClock?: () => number;
  /** Period of the single expiry sweep. Default 1000 ms. */
  sweepIntervalMs?: number;
  /** Nonce validity (stale after this: 438). Default 600 s, like coturn's stale-nonce. */
  nonceTtlSeconds?: number;
  /** Permission lifetime (RFC 8656 section 9: 300 s, not negotiable). */
  permissionLifetimeSeconds?: number;
  /** Channel binding lifetime (RFC 8656 section 12: 600 s). */
  channelLifetimeSeconds?: number;
  /** 401 answers per source IP over UDP: sustained rate and burst. Default 10/s, burst 50. */
  unauthorizedPerSecond?: number;
  /** Burst of that limiter (see `unauthorizedPerSecond`). Default 50. */
  unauthorizedBurst?: number;
  /** Source addresses tracked by that limiter (oldest dropped beyond). Default 10,000. */
  rateLimitEntries?: number;
  /** How long a response stays in the retransmission cache. Default 40 s (RFC 8489 Ti). */
  transactionCacheMs?: number;
  /** Responses kept in that cache at most. Default 10,000. */
  transactionCacheEntries?: number;
  /** TCP/TLS client connections at most. Default 4096. */
  maxStreamConnections?: number;
  /** A TCP/TLS connection with no allocation is closed after this idle time. Default 30 s. */
  streamIdleMs?: number;
  /**
   * A TCP/TLS connection is closed once it has held no allocation for this long, however busy it
   * is (Binding requests, failed Allocates): from its accept, or from the end of its allocation.
   * Checked by the sweep, so up to one sweep period later. Default 30 s.
   */
  streamUnallocatedMs?: number;
  /**
   * Bytes a UDP socket (the client listener, each relay socket) may hold queued after the kernel
   * refused sends; datagrams beyond are dropped and counted in `sendQueueDrops`. Default 1 MiB.
   */
  udpSendQueueBytes?: number;
  /** Bytes queued on a TCP/TLS connection beyond which relayed data is dropped. Default 1 MiB. */
  streamHighWaterMark?: number;
  /**
   * How often the TLS certificate and key files are checked for changes (they are reloaded when
   * either changes); 0: only on reloadTls()/SIGHUP. Default 5000 ms.
   */
  tlsWatchIntervalMs?: number;
  /**
   * On a wildcard TURN_LISTEN_IP, bind one UDP socket per local address (answers leave from the
   * address the client used; transport/udp.ts) rather than one wildcard socket. Default true.
   */
  udpPerAddress?: boolean;
  /** RESERVATION-TOKEN validity (RFC 8656 section 7.2 suggests 30 s). */
  reservationSeconds?: number;
  /** SOFTWARE attribute in responses. Default none. */
  software?: string;
  /** Socket buffer size, bytes, of the client-facing UDP socket. Default 1 MiB. */
  udpBufferSize?: number;
  /** Socket buffer size, bytes, of each relay (peer-facing) socket. Default 256 KiB. */
  relayBufferSize?: number;
  /** Where the relay logs. Default silent. */
  logger?: RelayLogger;
}

export type ResolvedOptions = Required<Omit<RelayOptions, 'software' | 'logger'>> & {
  software: string | undefined;
  logger: RelayLogger;
};

const silent: RelayLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function resolveOptions(o: RelayOptions = {}): ResolvedOptions {
  return {
    now: o.now ?? (() => performance.now()),
    wallClock: o.wallClock ?? Date.now,
    sweepIntervalMs: o.sweepIntervalMs ?? 1000,
    nonceTtlSeconds: o.nonceTtlSeconds ?? 600,
    permissionLifetimeSeconds: o.permissionLifetimeSeconds ?? 300,
    channelLifetimeSeconds: o.channelLifetimeSeconds ?? 600,
    unauthorizedPerSecond: o.unauthorizedPerSecond ?? 10,
    unauthorizedBurst: o.unauthorizedBurst ?? 50,
    rateLimitEntries: o.rateLimitEntries ?? 10_000,
    transactionCacheMs: o.transactionCacheMs ?? 40_000,
    transactionCacheEntries: o.transactionCacheEntries ?? 10_000,
    maxStreamConnections: o.maxStreamConnections ?? 4096,
    streamIdleMs: o.streamIdleMs ?? 30_000,
    streamUnallocatedMs: o.streamUnallocatedMs ?? 30_000,
    udpSendQueueBytes: o.udpSendQueueBytes ?? 1 << 20,
    streamHighWaterMark: o.streamHighWaterMark ?? 1 << 20,
    reservationSeconds: o.reservationSeconds ?? 30,
    tlsWatchIntervalMs: o.tlsWatchIntervalMs ?? 5000,
    udpPerAddress: o.udpPerAddress ?? true,
    software: o.software,
    udpBufferSize: o.udpBufferSize ?? 1 << 20,
    relayBufferSize: o.relayBufferSize ?? 256 * 1024,
    logger: o.logger ?? silent,
  };
}
