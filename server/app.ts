/**
 * The wiring module: builds the HTTP app, Socket.IO, signaling and (optionally) the embedded relay
 * from a Config and injected dependencies. Nothing here reads the environment or global state, so
 * tests build as many independent apps as they like on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Config } from './config.js';
import { IceServerBuilder } from './credentials/ice-servers.js';
import { createHttpApp } from './http/index.js';
import { createLogger, type Logger } from './log.js';
import { fail } from './protocol/index.js';
import { isolatedRelay, type RelayFactory } from './relay-factory.js';
import { clientAddress, ConnectionLimiter } from './signaling/connection-limit.js';
import type { IoServer, SignalingContext, SignalingObserver } from './signaling/context.js';
import type { AuthorizeHook } from './credentials/authorize.js';
import { attachSocket } from './signaling/dispatch.js';
import { MemoryRegistry, type RoomRegistry } from './signaling/registry.js';
import { LiveFeed } from './observability/live.js';
import { Metrics } from './observability/metrics.js';
import { observabilityRoutes } from './observability/routes.js';
import { Sessions } from './signaling/sessions.js';
import type { Relay, RelayAddresses } from '../turn/types.js';
import type { Router } from 'express';
import type { Registry } from 'prom-client';

/** What {@link createApp} builds on; each can be overridden (tests, cluster mode: see {@link createCluster}). */
export interface AppDeps {
  /** Where the app logs. Default {@link createLogger} at LOG_LEVEL. */
  log: Logger;
  /** Room membership. Default in memory (one node); a cluster passes its Redis registry. */
  registry: RoomRegistry;
  /** `null`: run without an embedded relay. Default: the isolated bundled relay when TURN_ENABLED. */
  relayFactory: RelayFactory | null;
  /** Extra signaling hooks, called after the app's own metrics. Default none. */
  observer: SignalingObserver;
  /** Extra readiness checks (Redis in a cluster): a reason when not ready. */
  readinessChecks: Array<() => Promise<string | undefined>>;
  /** Called with the Socket.IO server before it accepts connections (adapters, metrics). */
  configureIo?: (io: IoServer) => void | Promise<void>;
  /** Express routers mounted beside the app's own routes. Default none. */
  extraRoutes: Router[];
  /** The app's own check of every join (its session cookie, a header...), after the room token: see docs/tokens.md. Default none. */
  authorize?: AuthorizeHook | undefined;
}

/** Where a started app listens. */
export interface StartedApp {
  /** The bound HTTP port (the real one when PORT was 0). */
  port: number;
  /** Base URL, e.g. `http://localhost:3000` (`localhost` when listening on every address). */
  url: string;
  /** The embedded relay's bound addresses; `null` without one. */
  relay: RelayAddresses | null;
}

/**
 * The part of the app's metrics callers may use. Narrower than the Metrics class behind it, whose
 * other members are the signaling hooks createApp feeds itself and are not for callers.
 */
export interface AppMetrics {
  /** The app's own prom-client registry (one per app), what GET /metrics serves. */
  readonly registry: Registry;
}

/** A signaling server built by {@link createApp}; nothing listens until {@link App.start}. */
export interface App {
  /** The configuration it was built with. */
  readonly config: Config;
  /** The Socket.IO server (rooms are `room:<name>`, each peer's sockets `peer:<id>`). */
  readonly io: IoServer;
  /** The HTTP server that serves the app and Socket.IO. */
  readonly http: HttpServer;
  /** The embedded relay once `start()` created it; undefined before, or without one. */
  relay(): Relay | undefined;
  /** Prometheus metrics. */
  readonly metrics: AppMetrics;
  /** Starts the relay (if any), runs `configureIo`, then listens on HOST:PORT; resolves with the bound address. */
  start(): Promise<StartedApp>;
  /** Tells clients, stops accepting, closes everything within SHUTDOWN_TIMEOUT_MS. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Builds the signaling server for `config`: HTTP routes, Socket.IO signaling, metrics and, when
 * TURN_ENABLED, the embedded relay in a child process. Reads no environment; `overrides` replace
 * the default {@link AppDeps}. Call `start()` to listen.
 */
export function createApp(config: Config, overrides: Partial<AppDeps> = {}): App {
  const deps: AppDeps = {
    log: overrides.log ?? createLogger(config.logLevel),
    registry: overrides.registry ?? new MemoryRegistry(),
    relayFactory: overrides.relayFactory === undefined ? (config.turnEnabled ? isolatedRelay : null) : overrides.relayFactory,
    observer: overrides.observer ?? {},
    readinessChecks: overrides.readinessChecks ?? [],
    configureIo: overrides.configureIo,
    extraRoutes: overrides.extraRoutes ?? [],
  };
  const { log } = deps;
  const state = { shuttingDown: false, started: false };
  let relay: Relay | undefined;
  const sessions = new Sessions();
  const limiter = new ConnectionLimiter(config.maxConnectionsPerIp);

  const signalingStats = async () => ({
    sockets: io.engine?.clientsCount ?? 0,
    ...(await deps.registry.counts()),
    livePeers: sessions.liveCount,
    pendingDepartures: sessions.pendingCount,
  });
  const relayStats = async () => (relay ? relay.stats().catch(() => null) : null);
  const metrics = new Metrics({ signalingStats, relayStats });
  const live = new LiveFeed({
    counts: signalingStats,
    signalsTotal: () => metrics.totals.signals,
    relay: async () => {
      const s = await relayStats();
      return s && { bytes: s.bytesToPeers + s.bytesToClients, allocations: s.allocations };
    },
  });
  const extra = deps.observer;
  const observer: SignalingObserver = {
    joined: (room, resumed) => (metrics.joined(room, resumed), extra.joined?.(room, resumed)),
    signalRelayed: () => (metrics.signalRelayed(), extra.signalRelayed?.()),
    error: (event, code) => (metrics.error(event, code), extra.error?.(event, code)),
  };

  const ctx: SignalingContext = {
    io: undefined as unknown as IoServer,
    registry: deps.registry,
    sessions,
    ice: new IceServerBuilder(config),
    log,
    config,
    state,
    observer,
    authorize: overrides.authorize,
  };

  const httpApp = createHttpApp({
    config,
    get ice() {
      return ctx.ice;
    },
    trustProxy: config.trustProxy,
    signalingStats,
    relayStats,
    members: (room) => deps.registry.members(room),
    readiness: {
      async notReadyReason() {
        if (state.shuttingDown) return 'shutting down';
        if (!state.started) return 'starting';
        for (const check of deps.readinessChecks) {
          const reason = await check().catch((e: unknown) => String(e));
          if (reason) return reason;
        }
        return undefined;
      },
    },
    extraRoutes: [observabilityRoutes(metrics, live, config.metricsToken), ...deps.extraRoutes],
  });
  const http = createServer(httpApp);
  // Keep-alive sockets would hold `close()` open; shutdown closes idle ones itself.
  http.keepAliveTimeout = 5_000;
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;

  const io: IoServer = new Server(http, {
    maxHttpBufferSize: config.maxHttpBufferSize,
    transports: config.socketTransports,
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    connectTimeout: 10_000,
  });
  ctx.io = io;

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

  async function start(): Promise<StartedApp> {
    let relayAddrs: RelayAddresses | null = null;
    if (deps.relayFactory) {
      relay = await deps.relayFactory(config.relay, log.child({ component: 'relay' }));
      relayAddrs = await relay.start();
      ctx.ice = new IceServerBuilder(config, relayAddrs);
    }
    await deps.configureIo?.(io);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    metrics.start();
    live.start();
    state.started = true;
    const port = (http.address() as AddressInfo).port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return { port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, relay: relayAddrs };
  }

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    state.shuttingDown = true;
    const deadline = setTimeout(() => http.closeAllConnections(), config.shutdownTimeoutMs);
    try {
      // 1. Tell clients first, so they reconnect (elsewhere) instead of waiting for a timeout.
      io.local.emit('server-shutdown', { reconnectAfterMs: 1000 + config.shutdownDrainMs });
      if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
      // 2. End the SSE streams (long-lived responses would hold the HTTP server open), stop
      //    accepting and close every socket; Socket.IO's close also closes the HTTP server.
      live.stop();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeIdleConnections();
      await closed;
      sessions.flush();
      metrics.stop();
      await deps.registry.close();
      await relay?.stop();
    } finally {
      clearTimeout(deadline);
    }
    log.info('stopped');
  }

  return {
    config,
    io,
    http,
    relay: () => relay,
    metrics,
    start,
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}
