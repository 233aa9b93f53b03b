/**
 * Switchboard inside someone else's server: `attachSignaling(httpServer | expressApp, options)`
 * adds the Socket.IO signaling (at `<path>/socket.io`), the ICE-server route (`<path>/ice-servers`)
 * and, with `relay: true`, the embedded STUN/TURN relay. The host's own routes and WebSocket
 * upgrades are left alone, and `close()` gives the server back as it was: still listening, no
 * Switchboard listener, timer or socket left.
 *
 * Socket.IO is bound to a private HTTP server that never listens; the host's requests under our
 * paths are handed to its engine (`handleRequest` / `handleUpgrade`). `io.attach(host)` would
 * take over the host's request listeners for good and end every upgrade it does not serve itself
 * (the host's own WebSocket server included).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { AuthorizeHook } from './credentials/authorize.js';
import { iceServersOverHttp } from './http/api.js';
import { createLogger, type Logger } from './log.js';
import { ConfigError } from './config.js';
import { configFromOptions, type ServerOptions } from './options.js';
import { isolatedRelay } from './relay-factory.js';
import type { IoServer } from './signaling/context.js';
import { MemoryRegistry } from './signaling/registry.js';
import { createSignalingCore } from './signaling-core.js';
import type { RelayAddresses } from '../turn/types.js';

/** Options of {@link attachSignaling}: every server option (README table, camelCase), and these. */
export interface AttachOptions extends Omit<ServerOptions, 'port' | 'host' | 'turnEnabled'> {
  /** Where Switchboard lives on the host: Socket.IO at `<path>/socket.io`, ICE servers at `<path>/ice-servers`. Default `/switchboard`. */
  path?: string;
  /** Run the embedded STUN/TURN relay (UDP and TCP on `turnPort`). Default false: then `turnUrls` must name a relay. */
  relay?: boolean;
  /** Serve `GET <path>/ice-servers?room=&token=` (what `/api/ice-servers` answers on a Switchboard server). Default true. */
  iceServersRoute?: boolean;
  /**
   * For an express app: its HTTP server (what `app.listen()` returns), so that WebSocket works from
   * the first connection. Without it the server is learnt from the first request through the app,
   * and connections before that fall back to long-polling.
   */
  server?: HttpServer;
  /** The app's own check of every join (docs/tokens.md). Default none. */
  authorize?: AuthorizeHook;
  /** Where Switchboard logs. Default pino at `logLevel`. */
  log?: Logger;
}

/** What {@link attachSignaling} added; `close()` takes it away again. */
export interface AttachedSignaling {
  /** The Socket.IO server (its path is `socketPath`). */
  readonly io: IoServer;
  /** Socket.IO's path on the host, for the client SDK's `path` option. */
  readonly socketPath: string;
  /** The ICE-server route's path, or null when `iceServersRoute` is false. */
  readonly iceServersPath: string | null;
  /** The embedded relay's bound addresses, or null without one. */
  readonly relay: RelayAddresses | null;
  /** Tells the clients, closes every Switchboard socket and the relay; the host keeps serving. Idempotent. */
  close(): Promise<void>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function isExpress(target: unknown): target is Express {
  return typeof target === 'function' && typeof (target as Express).use === 'function' && typeof (target as Express).listen === 'function';
}

function isHttpServer(target: unknown): target is HttpServer {
  return typeof target === 'object' && target !== null && typeof (target as HttpServer).listeners === 'function' && typeof (target as HttpServer).address === 'function';
}

/**
 * Adds Switchboard's signaling to `target`, an `http.Server` (or https) or an express app; resolves
 * once the relay (if any) is up. A bad option rejects with a ConfigError naming it.
 */
export async function attachSignaling(target: HttpServer | Express, options: AttachOptions = {}): Promise<AttachedSignaling> {
  const { path = '/switchboard', relay = false, iceServersRoute = true, server: hostServer, authorize, log: givenLog, ...rest } = options;
  if (!isExpress(target) && !isHttpServer(target)) throw new ConfigError([{ variable: 'target', message: 'must be an http.Server or an express app' }]);
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) throw new ConfigError([{ variable: 'path', message: 'must be like /rtc or /a/b: segments of A-Z a-z 0-9 . _ ~ -, no trailing slash' }]);
  if (typeof relay !== 'boolean') throw new ConfigError([{ variable: 'relay', message: 'must be true or false' }]);
  if (!relay && !rest.turnUrls) throw new ConfigError([{ variable: 'relay', message: 'pass relay: true (the embedded relay) or turnUrls (an external one): clients need a relay' }]);
  if (authorize !== undefined && typeof authorize !== 'function') throw new ConfigError([{ variable: 'authorize', message: 'must be a function' }]);
  const config = configFromOptions({ ...rest, turnEnabled: relay });
  const log = givenLog ?? createLogger(config.logLevel);
  const socketPath = `${path}/socket.io`;
  const icePath = iceServersRoute ? `${path}/ice-servers` : null;

  const core = createSignalingCore(config, { log, registry: new MemoryRegistry(), relayFactory: relay ? isolatedRelay : null, observer: {}, readinessChecks: [], authorize }, createServer(), socketPath);
  let relayAddresses: RelayAddresses | null;
  try {
    relayAddresses = await core.start();
  } catch (err) {
    // The relay's port taken, say: nothing of ours may stay behind (its child process included).
    await core.shutdown(async () => {});
    throw err;
  }
  core.state.started = true;
  const engine = core.io.engine;
  let closed = false;

  const isSocketIo = (url: string | undefined) => url !== undefined && url.startsWith(`${socketPath}/`);
  /** Serves the request when it is ours; false when it is the host's. */
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (closed) return false;
    if (isSocketIo(req.url)) {
      engine.handleRequest(req, res);
      return true;
    }
    if (!icePath || !req.url) return false;
    const url = new URL(req.url, 'http://host');
    if (url.pathname !== icePath) return false;
    const reply = (status: number, body: unknown) => {
      if (!res.headersSent && !res.writableEnded) res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return (reply(405, { error: { code: 'bad-request', message: 'GET only' } }), true);
    const [room, token] = [url.searchParams.get('room') ?? undefined, url.searchParams.get('token') ?? undefined];
    if ((room !== undefined && room.length > 64) || (token !== undefined && token.length > 4096)) return reply(400, { error: { code: 'bad-request', message: 'room or token too long' } }), true;
    iceServersOverHttp({ config, ice: core.ctx.ice, iceServersMinted: (via, s) => core.metrics.iceServersMinted(via, s) }, room, token, 'http').then(
      (granted) => (granted.ok ? reply(200, { iceServers: granted.iceServers, ttl: granted.ttl }) : reply(401, { error: { code: 'unauthorized', message: granted.reason } })),
      (err: unknown) => (log.error({ err }, 'ice-servers route failed'), reply(500, { error: { code: 'internal', message: 'internal server error' } })),
    );
    return true;
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!closed && isSocketIo(req.url)) engine.handleUpgrade(req, socket, head);
    // Not ours: the host's own upgrade listeners answer it; with none, Node's default is to end it.
    else if (upgradeServer && upgradeServer.listenerCount('upgrade') === 1) socket.destroy();
  };

  let upgradeServer: HttpServer | null = null;
  const watchUpgrades = (s: HttpServer) => {
    if (upgradeServer) return;
    upgradeServer = s;
    s.on('upgrade', onUpgrade);
  };
  let detachRequests = () => {};
  if (isExpress(target)) {
    if (hostServer) watchUpgrades(hostServer);
    target.use((req, res, next) => {
      const s = (req.socket as { server?: HttpServer }).server;
      if (!closed && s) watchUpgrades(s);
      if (!serve(req, res)) next();
    });
    // First in the app's stack, so that the host's catch-all routes and body parsers, added before
    // this call, do not take our requests (express has no public way to prepend a middleware).
    const stack = (target as unknown as { router?: { stack?: unknown[] } }).router?.stack;
    if (Array.isArray(stack) && stack.length > 1) stack.unshift(stack.pop());
  } else {
    // The host's request listeners run for everything that is not ours, in their order.
    const host = target;
    const originals = host.listeners('request') as RequestListener[];
    host.removeAllListeners('request');
    const dispatch: RequestListener = (req, res) => {
      if (!serve(req, res)) for (const l of originals) l.call(host, req, res);
    };
    host.on('request', dispatch);
    // A request listener the host adds later goes behind `dispatch` too (it would answer our
    // requests a second time); moved right after `on()` returns, before any request can arrive.
    const onNewListener = (event: string | symbol, listener: RequestListener) => {
      if (event !== 'request' || listener === dispatch) return;
      queueMicrotask(() => {
        if (closed || !host.listeners('request').includes(listener)) return;
        host.off('request', listener);
        originals.push(listener);
      });
    };
    host.on('newListener', onNewListener);
    watchUpgrades(host);
    detachRequests = () => {
      host.off('newListener', onNewListener);
      host.off('request', dispatch);
      for (const l of originals) host.on('request', l);
    };
  }
  log.info({ path: socketPath, iceServers: icePath, relay: relayAddresses }, 'signaling attached');

  let closing: Promise<void> | undefined;
  return {
    io: core.io,
    socketPath,
    iceServersPath: icePath,
    relay: relayAddresses,
    close() {
      closing ??= core.shutdown(async () => {
        closed = true;
        detachRequests();
        upgradeServer?.off('upgrade', onUpgrade);
      });
      return closing;
    },
  };
}
