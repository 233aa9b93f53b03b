/**
 * What every way of running Switchboard's signaling shares, whoever owns the HTTP server: the
 * Socket.IO server's connection gate and handlers, the sessions and room registry, metrics, the
 * embedded relay's lifecycle and the shutdown sequence. `createApp` (app.ts) puts it behind its
 * own HTTP server and express app; `attachSignaling` (attach.ts) into someone else's.
 */
import type { Server as HttpServer } from 'node:http';
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import type { Config } from './config.js';
import type { AuthorizeHook } from './credentials/authorize.js';
import { IceServerBuilder } from './credentials/ice-servers.js';
import type { Logger } from './log.js';
import { relayFamilies } from './observability/families.js';
import { Metrics } from './observability/metrics.js';
import { fail } from './protocol/index.js';
import type { RelayFactory } from './relay-factory.js';
import { clientAddress, ConnectionLimiter } from './signaling/connection-limit.js';
import type { IoServer, SignalingContext, SignalingObserver } from './signaling/context.js';
import { attachSocket } from './signaling/dispatch.js';
import type { RoomRegistry } from './signaling/registry.js';
import { Sessions } from './signaling/sessions.js';
import type { Relay, RelayAddresses, RelayStats } from '../turn/types.js';

export interface CoreDeps {
  log: Logger;
  registry: RoomRegistry;
  relayFactory: RelayFactory | null;
  observer: SignalingObserver;
  readinessChecks: Array<() => Promise<string | undefined>>;
  configureIo?: ((io: IoServer) => void | Promise<void>) | undefined;
  authorize?: AuthorizeHook | undefined;
  registerMetrics?: ((registry: Registry) => void) | undefined;
}

/** A scrape waits this long for the relay child's metrics, then goes on without them. */
const RELAY_METRICS_TIMEOUT_MS = 2_000;

/** The signaling counters of /api/stats and the metrics. */
export type SignalingStats = Record<'sockets' | 'rooms' | 'peers' | 'livePeers' | 'pendingDepartures', number>;

export interface SignalingCore {
  readonly io: IoServer;
  readonly ctx: SignalingContext;
  readonly metrics: Metrics;
  readonly state: { shuttingDown: boolean; started: boolean };
  relay(): Relay | undefined;
  signalingStats(): Promise<SignalingStats>;
  relayStats(): Promise<RelayStats | null>;
  notReadyReason(): Promise<string | undefined>;
  /** Starts the relay (if any) and runs `configureIo`; the caller then starts accepting. */
  start(): Promise<RelayAddresses | null>;
  /**
   * Tells clients, waits SHUTDOWN_DRAIN_MS, closes every Socket.IO connection, then the registry
   * and the relay. `closeTransport` closes what the caller owns (its HTTP server) in between.
   */
  shutdown(closeTransport: () => Promise<void>): Promise<void>;
}

/** Socket.IO's options from the config, plus the `path` it serves (default `/socket.io`). */
function ioOptions(config: Config, path: string) {
  return {
    path,
    maxHttpBufferSize: config.maxHttpBufferSize,
    transports: config.socketTransports,
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    connectTimeout: 10_000,
    // Pages of other origins (an app using the SDK) need CORS for long-polling only.
    ...(config.corsOrigins ? { cors: { origin: config.corsOrigins.includes('*') ? true : config.corsOrigins, methods: ['GET', 'POST'] } } : {}),
  };
}

/** `http`: the server Socket.IO attaches to (engine.io takes its requests under `path`). */
export function createSignalingCore(config: Config, deps: CoreDeps, http: HttpServer, path = '/socket.io'): SignalingCore {
  const { log } = deps;
  const state = { shuttingDown: false, started: false };
  let relay: Relay | undefined;
  const sessions = new Sessions();
  const limiter = new ConnectionLimiter(config.maxConnectionsPerIp);
  const io: IoServer = new Server(http, ioOptions(config, path));

  const signalingStats = async (): Promise<SignalingStats> => ({
    sockets: io.engine?.clientsCount ?? 0,
    ...(await deps.registry.counts()),
    livePeers: sessions.liveCount,
    pendingDepartures: sessions.pendingCount,
  });
  const relayStats = async () => (relay ? relay.stats().catch(() => null) : null);
  const metrics = new Metrics(
    { signalingStats, relayStats, relayMetrics: () => relayFamilies(relay, RELAY_METRICS_TIMEOUT_MS) },
    { nodeId: config.nodeId, relayQuota: deps.relayFactory ? config.relay.totalQuota : undefined },
  );
  deps.registerMetrics?.(metrics.registry);
  const extra = deps.observer;
  const observer: SignalingObserver = {
    joined: (room, resumed) => (metrics.joined(room, resumed), extra.joined?.(room, resumed)),
    signalRelayed: (crossNode) => (metrics.signalRelayed(crossNode), extra.signalRelayed?.(crossNode)),
    error: (event, code) => (metrics.error(event, code), extra.error?.(event, code)),
    answered: (event, ok, seconds) => (metrics.answered(event, ok, seconds), extra.answered?.(event, ok, seconds)),
  };
  const ctx: SignalingContext = {
    io,
    registry: deps.registry,
    sessions,
    ice: new IceServerBuilder(config),
    log,
    config,
    state,
    observer,
    authorize: deps.authorize,
  };

  io.use((socket, next) => {
    if (state.shuttingDown) return next(Object.assign(new Error('unavailable'), { data: fail('unavailable', 'server is shutting down').error }));
    const release = limiter.acquire(clientAddress(socket, config.trustProxy));
    if (!release) {
      return next(Object.assign(new Error('rate-limited'), { data: fail('rate-limited', 'too many connections from this address').error }));
    }
    socket.once('disconnect', release);
    next();
  });
  io.on('connection', (socket) => attachSocket(socket, ctx));

  return {
    io,
    ctx,
    metrics,
    state,
    relay: () => relay,
    signalingStats,
    relayStats,
    async notReadyReason() {
      if (state.shuttingDown) return 'shutting down';
      if (!state.started) return 'starting';
      for (const check of deps.readinessChecks) {
        const reason = await check().catch((e: unknown) => String(e));
        if (reason) return reason;
      }
      return undefined;
    },
    async start() {
      let addresses: RelayAddresses | null = null;
      if (deps.relayFactory) {
        relay = await deps.relayFactory(config.relay, log.child({ component: 'relay' }));
        addresses = await relay.start();
        ctx.ice = new IceServerBuilder(config, addresses);
      }
      await deps.configureIo?.(io);
      return addresses;
    },
    async shutdown(closeTransport) {
      state.shuttingDown = true;
      // 1. Tell clients first, so they reconnect (elsewhere) instead of waiting for a timeout.
      io.local.emit('server-shutdown', { reconnectAfterMs: 1000 + config.shutdownDrainMs });
      if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
      // 2. Stop accepting and close every socket (Socket.IO's close also closes the server it
      //    was attached to), and whatever the caller owns.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      await closeTransport();
      await closed;
      sessions.flush();
      metrics.stop();
      await deps.registry.close();
      await relay?.stop();
    },
  };
}
