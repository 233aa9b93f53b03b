/**
 * The wiring module: builds the HTTP app, Socket.IO, signaling and (optionally) the embedded relay
 * from a Config and injected dependencies. Nothing here reads the environment or global state, so
 * tests build as many independent apps as they like on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createHttpApp } from './http/index.js';
import { baseUrl, listenWithFallback } from './http/listen.js';
import { createLogger, type Logger } from './log.js';
import { isolatedRelay, type RelayFactory } from './relay-factory.js';
import type { IoServer, SignalingObserver } from './signaling/context.js';
import type { AuthorizeHook } from './credentials/authorize.js';
import { MemoryRegistry, type RoomRegistry } from './signaling/registry.js';
import { LiveFeed } from './observability/live.js';
import { observabilityRoutes } from './observability/routes.js';
import { createSignalingCore } from './signaling-core.js';
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
  /** Registers extra metrics in the app's registry, which adds the `node` label (a cluster's Redis connection state). Default none. */
  registerMetrics?: ((registry: Registry) => void) | undefined;
}

/** Where a started app listens. */
export interface StartedApp {
  /** The bound HTTP port (the real one when PORT was 0). */
  port: number;
  /**
   * The address listened on: HOST, or with HOST unset `::` (IPv6 and IPv4), or `0.0.0.0` on a host
   * without IPv6.
   */
  host: string;
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
  /**
   * The app's own prom-client registry (one per app), what GET /metrics serves: the app's
   * metrics, this process's and the relay child's default metrics (label `process`), all with
   * the label `node` (docs/operations.md).
   */
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
  /**
   * Starts the relay (if any), runs `configureIo`, then listens on HOST:PORT (HOST unset: `::`, both
   * families, or `0.0.0.0` on a host without IPv6); resolves with the bound address.
   */
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
    authorize: overrides.authorize,
    registerMetrics: overrides.registerMetrics,
  };
  const { log } = deps;
  // Socket.IO (inside the core) attaches to this server and takes the requests under its path;
  // engine.io passes every other request to the listener the server had then: the express app.
  const http = createServer((req, res) => httpApp(req, res));
  const core = createSignalingCore(config, deps, http);
  const { metrics, state } = core;
  const live = new LiveFeed({
    counts: core.signalingStats,
    signalsTotal: () => metrics.totals.signals,
    relay: async () => {
      const s = await core.relayStats();
      return s && { bytes: s.bytesToPeers + s.bytesToClients, allocations: s.allocations };
    },
  });

  const httpApp = createHttpApp({
    config,
    get ice() {
      return core.ctx.ice;
    },
    trustProxy: config.trustProxy,
    signalingStats: core.signalingStats,
    relayStats: core.relayStats,
    members: (room) => deps.registry.members(room),
    iceServersMinted: (via, seconds) => metrics.iceServersMinted(via, seconds),
    readiness: { notReadyReason: () => core.notReadyReason() },
    extraRoutes: [observabilityRoutes(metrics, live, config.metricsToken), ...deps.extraRoutes],
  });
  // Keep-alive sockets would hold `close()` open; shutdown closes idle ones itself.
  http.keepAliveTimeout = 5_000;
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;

  async function start(): Promise<StartedApp> {
    const relayAddrs = await core.start();
    const host = await listenWithFallback(http, config, log);
    metrics.start();
    live.start();
    state.started = true;
    const port = (http.address() as AddressInfo).port;
    return { port, host, url: baseUrl(host, port), relay: relayAddrs };
  }

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    const deadline = setTimeout(() => http.closeAllConnections(), config.shutdownTimeoutMs);
    try {
      // The SSE streams are long-lived responses that would hold the HTTP server open.
      await core.shutdown(async () => {
        live.stop();
        http.closeIdleConnections();
      });
    } finally {
      clearTimeout(deadline);
    }
    log.info('stopped');
  }

  return {
    config,
    io: core.io,
    http,
    relay: core.relay,
    metrics,
    start,
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}
