/**
 * The wiring module: builds the HTTP app, Socket.IO, signaling and (optionally) the embedded relay
 * from a Config and injected dependencies. Nothing here reads the environment or global state, so
 * tests build as many independent apps as they like on port 0.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { IceServerBuilder } from './credentials/ice-servers.js';
import { createHttpApp } from './http/index.js';
import { createLogger } from './log.js';
import { fail } from './protocol/index.js';
import { isolatedRelay } from './relay-factory.js';
import { clientAddress, ConnectionLimiter } from './signaling/connection-limit.js';
import { attachSocket } from './signaling/dispatch.js';
import { MemoryRegistry } from './signaling/registry.js';
import { LiveFeed } from './observability/live.js';
import { Metrics } from './observability/metrics.js';
import { observabilityRoutes } from './observability/routes.js';
import { Sessions } from './signaling/sessions.js';
export function createApp(config, overrides = {}) {
    const deps = {
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
    let relay;
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
    const observer = {
        joined: (room, resumed) => (metrics.joined(room, resumed), extra.joined?.(room, resumed)),
        signalRelayed: () => (metrics.signalRelayed(), extra.signalRelayed?.()),
        error: (event, code) => (metrics.error(event, code), extra.error?.(event, code)),
    };
    const ctx = {
        io: undefined,
        registry: deps.registry,
        sessions,
        ice: new IceServerBuilder(config),
        log,
        config,
        state,
        observer,
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
                if (state.shuttingDown)
                    return 'shutting down';
                if (!state.started)
                    return 'starting';
                for (const check of deps.readinessChecks) {
                    const reason = await check().catch((e) => String(e));
                    if (reason)
                        return reason;
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
    const io = new Server(http, {
        maxHttpBufferSize: config.maxHttpBufferSize,
        transports: config.socketTransports,
        serveClient: false,
        pingInterval: 10_000,
        pingTimeout: 5_000,
        connectTimeout: 10_000,
    });
    ctx.io = io;
    io.use((socket, next) => {
        if (state.shuttingDown)
            return next(Object.assign(new Error('unavailable'), { data: fail('unavailable', 'server is shutting down').error }));
        const release = limiter.acquire(clientAddress(socket, config.trustProxy));
        if (!release) {
            return next(Object.assign(new Error('rate-limited'), { data: fail('rate-limited', 'too many connections from this address').error }));
        }
        socket.once('disconnect', release);
        next();
    });
    io.on('connection', (socket) => attachSocket(socket, ctx));
    async function start() {
        let relayAddrs = null;
        if (deps.relayFactory) {
            relay = await deps.relayFactory(config.relay, log.child({ component: 'relay' }));
            relayAddrs = await relay.start();
            ctx.ice = new IceServerBuilder(config, relayAddrs);
        }
        await deps.configureIo?.(io);
        await new Promise((resolve, reject) => {
            http.once('error', reject);
            http.listen(config.port, config.host, () => {
                http.off('error', reject);
                resolve();
            });
        });
        metrics.start();
        live.start();
        state.started = true;
        const port = http.address().port;
        const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        return { port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, relay: relayAddrs };
    }
    let stopping;
    async function shutdown() {
        state.shuttingDown = true;
        const deadline = setTimeout(() => http.closeAllConnections(), config.shutdownTimeoutMs);
        try {
            // 1. Tell clients first, so they reconnect (elsewhere) instead of waiting for a timeout.
            io.local.emit('server-shutdown', { reconnectAfterMs: 1000 + config.shutdownDrainMs });
            if (config.shutdownDrainMs > 0)
                await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
            // 2. End the SSE streams (long-lived responses would hold the HTTP server open), stop
            //    accepting and close every socket; Socket.IO's close also closes the HTTP server.
            live.stop();
            const closed = new Promise((resolve) => io.close(() => resolve()));
            http.closeIdleConnections();
            await closed;
            sessions.flush();
            metrics.stop();
            await deps.registry.close();
            await relay?.stop();
        }
        finally {
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
//# sourceMappingURL=app.js.map