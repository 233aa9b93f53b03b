/**
 * createRelay: the STUN/TURN relay (RFC 8489, RFC 8656) behind the `Relay` interface.
 *
 * Wiring only: listeners (UDP + TCP on one port, TLS when configured), the dispatcher with one
 * handler per method, the allocation manager, auth, and one periodic sweep (unref'd) that expires
 * allocations, permissions, channels, reservations, cached responses and rate-limit entries.
 */
import { EventEmitter } from 'node:events';
import type dgram from 'node:dgram';
import type net from 'node:net';
import type { RelayConfig } from './config.js';
import { AllocationManager, allocationEvent } from './allocation/manager.js';
import type { PortAllocator } from './allocation/port-allocator.js';
import { longTermAuthenticator } from './auth/long-term.js';
import { RelayMetrics } from './metrics.js';
import { NonceFactory } from './auth/nonce.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { resolveOptions, type RelayOptions } from './options.js';
import { PeerFilter } from './security/peer-filter.js';
import { relayFamilies } from './relay-families.js';
import type { ServerContext } from './server/context.js';
import { Dispatcher } from './server/dispatcher.js';
import { listenTcp, listenTls, StreamRegistry } from './transport/stream.js';
import { TlsCertificate } from './transport/tls-certificate.js';
import { listenUdp } from './transport/udp.js';
import type { MetricFamily, Relay, RelayAddresses, RelayEvents, RelayStats } from './types.js';

/** Options of {@link createRelay}: the {@link RelayOptions} plus test hooks. */
export interface CreateRelayOptions extends RelayOptions {
  /** Replace the relay-port allocator (tests). Default: a random free port in `minPort`..`maxPort`. */
  portAllocator?: PortAllocator;
}

/** The relay plus test hooks. */
export interface TurnRelay extends Relay {
  /** The relay's own metrics (Allocate latency, error answers); no process metrics in-process. */
  metrics(): Promise<MetricFamily[]>;
  /** Run the expiry sweep now (tests with an injected clock). */
  sweep(): void;
  /** Load the TLS certificate and key files again (see {@link Relay.reloadTls}). */
  reloadTls(): Promise<boolean>;
  /** Handler exceptions caught so far (0 in a healthy relay). */
  readonly handlerErrors: number;
  /** Entries in the bounded per-IP 401 limiter and the transaction cache (memory checks). */
  readonly internals: { limiterEntries: number; cachedResponses: number; streamConnections: number };
}

function emptyStats(): RelayStats {
  return {
    allocations: 0,
    permissions: 0,
    channels: 0,
    packetsToPeers: 0,
    bytesToPeers: 0,
    packetsToClients: 0,
    bytesToClients: 0,
    authFailures: 0,
    forbidden: 0,
    allocationsTotal: 0,
    relaySockets: 0,
    sendQueueDrops: 0,
    streamsClosed: 0,
  };
}

function closeUdp(s: dgram.Socket | undefined): Promise<void> {
  return new Promise((r) => {
    if (!s) return r();
    try {
      s.close(() => r());
    } catch {
      r();
    }
  });
}

function closeServer(s: net.Server | undefined): Promise<void> {
  return new Promise((r) => (s ? s.close(() => r()) : r()));
}

/**
 * A STUN/TURN relay (RFC 8489, RFC 8656) in this process: UDP and TCP on `config.port`, TLS on
 * `config.tlsPort` when a certificate is configured, long-term credentials (REST or static users).
 * Nothing binds until `start()`. Throws when `config.relayIp` is not a concrete IP address.
 */
export function createRelay(config: RelayConfig, options: CreateRelayOptions = {}): TurnRelay {
  const opts = resolveOptions(options);
  const relays = relayFamilies(config, opts, options.portAllocator);
  const relayIps = [...relays.values()].map((r) => r.ip);
  const stats = emptyStats();
  const metrics = new RelayMetrics();
  const allocations = new AllocationManager(stats, opts.udpSendQueueBytes, config.permissionHoldMs ?? 0, opts.now);
  const nonces = new NonceFactory(opts.nonceTtlSeconds * 1000, opts.now);
  const ctx: ServerContext = {
    config,
    opts,
    stats,
    metrics,
    filter: new PeerFilter(config.allowPeers, relayIps),
    nonces,
    authenticate: longTermAuthenticator({
      realm: config.realm,
      secrets: [config.secret, ...(config.previousSecrets ?? [])],
      staticUsers: config.staticUsers,
      nonces,
      now: opts.wallClock,
    }),
    unauthorizedLimiter: new RateLimiter(opts.unauthorizedPerSecond, opts.unauthorizedBurst, opts.rateLimitEntries, opts.now),
    allocations,
    relays,
    defaultFamily: relays.has(4) ? 4 : 6,
    running: false,
  };
  const dispatcher = new Dispatcher(ctx);
  const streams = new StreamRegistry(config.maxConnectionsPerIp ?? 64, stats);
  /** The UDP listener: one socket, or one per local address on a wildcard (transport/udp.ts). */
  let udp: dgram.Socket[] = [];
  let tcp: net.Server | undefined;
  let tlsServer: net.Server | undefined;
  let certificate: TlsCertificate | undefined;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<RelayAddresses> | undefined;
  let stopping: Promise<void> | undefined;

  const sweep = (): void => {
    try {
      const now = opts.now();
      allocations.sweep(now);
      streams.sweep(now, allocations, opts.streamUnallocatedMs);
      dispatcher.cache.sweep(now);
      ctx.unauthorizedLimiter.sweep();
    } catch (err) {
      opts.logger.error({ err }, 'turn: sweep error');
    }
  };

  async function bindClientListeners(): Promise<void> {
    const deps = { dispatcher, allocations, opts, registry: streams, stats };
    // UDP first (port 0 picks one), then TCP on the same number; if another process holds that
    // port (TCP, or UDP on another of the host's addresses), start over with a new port.
    for (let attempt = 0; ; attempt++) {
      try {
        udp = await listenUdp(config.listenIp, config.port, opts.udpBufferSize, dispatcher, opts.udpPerAddress);
        tcp = await listenTcp(config.listenIp, udp[0]!.address().port, deps);
        break;
      } catch (err) {
        await Promise.all(udp.map(closeUdp));
        udp = [];
        if (config.port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
      }
    }
    if (config.tlsCert && config.tlsKey) {
      certificate = new TlsCertificate(config.tlsCert, config.tlsKey, opts.logger);
      const server = await listenTls(config.listenIp, config.tlsPort, certificate.options, deps);
      certificate.attach(server, opts.tlsWatchIntervalMs);
      tlsServer = server;
    }
  }

  async function doStart(): Promise<RelayAddresses> {
    try {
      await bindClientListeners();
    } catch (err) {
      await release();
      throw err;
    }
    ctx.running = true;
    timer = setInterval(sweep, opts.sweepIntervalMs);
    timer.unref();
    const u = udp[0]!.address();
    const t = tcp!.address() as net.AddressInfo;
    const s = tlsServer?.address() as net.AddressInfo | undefined;
    const addresses: RelayAddresses = {
      // The configured address (a wildcard stays a wildcard) and the one port of every socket.
      udp: { address: udp.length > 1 ? config.listenIp : u.address, port: u.port },
      tcp: { address: t.address, port: t.port },
      tls: s ? { address: s.address, port: s.port } : undefined,
    };
    opts.logger.info({ ...addresses, relayIps }, 'turn: relay listening');
    return addresses;
  }

  async function release(): Promise<void> {
    ctx.running = false;
    if (timer) clearInterval(timer);
    timer = undefined;
    certificate?.close();
    allocations.deleteAll('stop');
    dispatcher.cache.clear();
    for (const s of streams.sockets) s.destroy();
    await Promise.all([...udp.map(closeUdp), closeServer(tcp), closeServer(tlsServer)]);
    udp = [];
    tcp = undefined;
    tlsServer = undefined;
  }

  const relay = new EventEmitter<RelayEvents>() as TurnRelay;
  allocations.on('created', (a) => relay.emit('allocation-created', allocationEvent(a)));
  allocations.on('deleted', (a, reason) => relay.emit('allocation-deleted', { ...allocationEvent(a), reason }));
  Object.assign(relay, {
    start(): Promise<RelayAddresses> {
      if (stopping) return Promise.reject(new Error('relay stopped'));
      starting ??= doStart();
      return starting;
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (starting) await starting.catch(() => {});
        await release();
      })();
      return stopping;
    },
    stats(): Promise<RelayStats> {
      allocations.recount();
      return Promise.resolve({ ...stats });
    },
    metrics(): Promise<MetricFamily[]> {
      return metrics.families();
    },
    sweep,
    reloadTls(): Promise<boolean> {
      return Promise.resolve(certificate?.reload('request') ?? false);
    },
  });
  Object.defineProperty(relay, 'handlerErrors', { get: () => dispatcher.errors });
  Object.defineProperty(relay, 'internals', {
    get: () => ({
      limiterEntries: ctx.unauthorizedLimiter.size,
      cachedResponses: dispatcher.cache.size,
      streamConnections: streams.sockets.size,
    }),
  });
  return relay;
}
