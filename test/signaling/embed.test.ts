/**
 * The server as a library: attachSignaling into a host's express app and into a plain http.Server
 * (the host's routes and WebSocket upgrades keep working, close() leaves the host serving and
 * nothing of ours behind), and createSignalingServer from typed options, refusing a bad option by
 * its name.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { attachSignaling, type AttachedSignaling } from '../../server/attach.js';
import { ConfigError } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { createSignalingServer } from '../../server/signaling-server.js';
import type { JoinAck } from '../../server/protocol/index.js';
import { type Client, join, next, request, until } from './harness.js';

const quiet = { logLevel: 'silent' as const, log: createLogger('silent'), turnSecret: 'embed-test-secret-0123456789' };
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function listen(server: HttpServer): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function client(url: string, path: string, transports: Array<'websocket' | 'polling'> = ['websocket']): Promise<Client> {
  const socket: Client = connect(url, { path, transports, forceNew: true, reconnection: false, timeout: 5000 });
  cleanups.push(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Two peers of one room exchange a signal through `url` + `path`. */
async function signalThrough(url: string, path: string, transports?: Array<'websocket' | 'polling'>): Promise<void> {
  const [a, b] = [await client(url, path, transports), await client(url, path, transports)];
  const ja = await join(a, 'embedded');
  const jb = await join(b, 'embedded');
  const got = next(b, 'signal');
  await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'v=0' } });
  expect(await got).toEqual({ from: ja.peerId, data: { type: 'offer', sdp: 'v=0' } });
}

/** The status a server answers an HTTP upgrade request for `path` with (fetch cannot send one). */
function upgradeStatus(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers: { connection: 'Upgrade', upgrade: 'websocket' }, timeout: 5000 });
    req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('upgrade', (_res, socket) => (socket.destroy(), resolve(101)));
    req.on('timeout', () => req.destroy(new Error('no answer to the upgrade')));
    req.on('error', reject);
    req.end();
  });
}

function hostApp(): express.Express {
  const app = express();
  app.get('/hello', (_req, res) => void res.json({ host: 'still here' }));
  return app;
}

describe('attachSignaling', () => {
  it('into an express app: signaling and ICE servers at the path, the host route answers, close() leaves it serving', async () => {
    const app = hostApp();
    const server = createServer(app);
    const attached = await attachSignaling(app, { ...quiet, path: '/rtc', server, turnUrls: ['turn:203.0.113.10:3478?transport=udp'] });
    let closed = false;
    cleanups.push(() => closed || attached.close());
    const url = await listen(server);
    expect(attached.socketPath).toBe('/rtc/socket.io');
    await signalThrough(url, '/rtc/socket.io');
    await signalThrough(url, '/rtc/socket.io', ['polling']);
    const ice = (await (await fetch(`${url}/rtc/ice-servers?room=embedded`)).json()) as { iceServers: Array<{ urls: string[]; username?: string }>; ttl: number };
    expect(ice.iceServers.some((s) => s.urls.includes('turn:203.0.113.10:3478?transport=udp') && s.username)).toBe(true);
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ host: 'still here' });

    await attached.close();
    closed = true;
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ host: 'still here' });
    expect((await fetch(`${url}/rtc/ice-servers?room=embedded`)).status).toBe(404); // the host's own 404 now
    await expect(client(url, '/rtc/socket.io')).rejects.toThrow();
    expect(attached.io.engine.clientsCount).toBe(0);
  });

  it('an express app without its server learns it from the first request; WebSocket works after it', async () => {
    const app = hostApp();
    const server = createServer(app);
    const attached = await attachSignaling(app, { ...quiet, turnUrls: ['turn:203.0.113.10:3478'] });
    cleanups.push(() => attached.close());
    const url = await listen(server);
    await expect(client(url, '/switchboard/socket.io')).rejects.toThrow(); // nothing through the app yet
    await fetch(`${url}/hello`);
    await signalThrough(url, '/switchboard/socket.io');
  });

  it("into a plain http.Server with its own request listener and WebSocket upgrades: both keep working, and close() restores them", async () => {
    const server = createServer((_req, res) => res.end('host page'));
    const upgrades: string[] = [];
    server.on('upgrade', (req, socket) => {
      if (req.url?.startsWith('/switchboard/')) return; // ours
      upgrades.push(req.url ?? '');
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    const attached = await attachSignaling(server, { ...quiet, turnUrls: ['turn:203.0.113.10:3478'] });
    let closed = false;
    cleanups.push(() => closed || attached.close());
    const url = await listen(server);
    await signalThrough(url, '/switchboard/socket.io');
    expect(await (await fetch(`${url}/anything`)).text()).toBe('host page');
    // The host's own upgrade listener still gets its upgrades (ours does not end them).
    expect(await upgradeStatus(url, '/host-ws')).toBe(400);
    expect(upgrades).toEqual(['/host-ws']);

    await attached.close();
    closed = true;
    expect(server.listenerCount('request')).toBe(1);
    expect(server.listenerCount('upgrade')).toBe(1);
    expect(await (await fetch(`${url}/switchboard/socket.io/?EIO=4&transport=polling`)).text()).toBe('host page');
    expect(server.listening).toBe(true);
  });

  it("a host's request listener added after the attach, and its catch-all routes added before it, do not take our requests", async () => {
    const server = createServer();
    const attached = await attachSignaling(server, { ...quiet, turnUrls: ['turn:203.0.113.10:3478'] });
    cleanups.push(() => attached.close());
    server.on('request', (_req, res) => res.writeHead(404).end('host 404'));
    const url = await listen(server);
    expect((await fetch(`${url}/switchboard/ice-servers?room=r`)).status).toBe(200);
    await signalThrough(url, '/switchboard/socket.io', ['polling']);
    expect(await (await fetch(`${url}/other`)).text()).toBe('host 404');

    const app = express();
    app.use(express.text({ type: '*/*' }));
    app.use((_req, res) => void res.status(404).send('spa fallback'));
    const appServer = createServer(app);
    const inApp = await attachSignaling(app, { ...quiet, server: appServer, turnUrls: ['turn:203.0.113.10:3478'] });
    cleanups.push(() => inApp.close());
    const appUrl = await listen(appServer);
    expect((await fetch(`${appUrl}/switchboard/ice-servers?room=r`)).status).toBe(200);
    await signalThrough(appUrl, '/switchboard/socket.io', ['polling']);
    expect(await (await fetch(`${appUrl}/anything`)).text()).toBe('spa fallback');
  });

  it('a relay that cannot start leaves nothing running (its port taken)', async () => {
    const first = await attachSignaling(createServer(), { ...quiet, relay: true, turnPort: 0, turnListenIp: '127.0.0.1' });
    cleanups.push(() => first.close());
    const port = first.relay!.udp.port;
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;
    const before = count();
    await expect(attachSignaling(createServer(), { ...quiet, relay: true, turnPort: port, turnListenIp: '127.0.0.1' })).rejects.toThrow();
    await until(() => count() <= before, 'the second relay child gone');
  });

  it('runs the embedded relay with relay: true and hands out its credentials', async () => {
    const server = createServer((_req, res) => res.end('host'));
    const attached = await attachSignaling(server, { ...quiet, relay: true, turnPort: 0, turnListenIp: '127.0.0.1', publicIp: '127.0.0.1' });
    cleanups.push(() => attached.close());
    const url = await listen(server);
    expect(attached.relay?.udp.port).toBeGreaterThan(0);
    const a = await client(url, '/switchboard/socket.io');
    const ack = await request<JoinAck>(a, 'join', { room: 'with-relay' });
    // The room's worker (one of TURN_WORKERS, each on its own port).
    const ports = (attached.relay!.workers ?? [attached.relay!]).map((w) => w.udp.port);
    expect(ack.ok && ack.iceServers.some((s) => ports.some((p) => s.urls.includes(`turn:127.0.0.1:${p}?transport=udp`)))).toBe(true);
  });

  it('close() leaves no timer or socket of ours behind', async () => {
    const server = createServer((_req, res) => res.end('host'));
    const url = await listen(server);
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const before = { timers: count('Timeout'), sockets: count('TCPSocketWrap') };
    const attached = await attachSignaling(server, { ...quiet, turnUrls: ['turn:203.0.113.10:3478'] });
    const a = await client(url, '/switchboard/socket.io');
    await join(a, 'leaks');
    a.disconnect();
    await attached.close();
    server.closeAllConnections();
    await until(() => count('Timeout') <= before.timers && count('TCPSocketWrap') <= before.sockets, `timers and sockets back to ${JSON.stringify(before)}: ${JSON.stringify(process.getActiveResourcesInfo())}`);
    expect(server.listening).toBe(true);
  });

  it('refuses bad options by name', async () => {
    const server = createServer();
    await expect(attachSignaling(server, { ...quiet })).rejects.toThrow(/relay: pass relay: true/);
    for (const path of ['no-slash', '/rtc/', '/rtc?', '/rtc#x', '/a//b', '/ä', '/rtc%20']) {
      await expect(attachSignaling(server, { ...quiet, relay: true, path }), path).rejects.toThrow(/path: must be like \/rtc/);
    }
    await expect(attachSignaling(server, { ...quiet, relay: true, roomCapacity: 1 })).rejects.toThrow(/roomCapacity/);
    await expect(attachSignaling({} as HttpServer, { ...quiet, relay: true })).rejects.toThrow(/target/);
    await expect(attachSignaling(server, { ...quiet, relay: true, roomCapcity: 4 } as never)).rejects.toThrow(/roomCapcity: is not an option/);
    expect(server.listenerCount('request')).toBe(0);
  });
});

describe('createSignalingServer', () => {
  it('serves from typed options, the environment\'s defaults otherwise', async () => {
    const app = createSignalingServer({ ...quiet, port: 0, host: '127.0.0.1', turnEnabled: false, turnUrls: ['turn:203.0.113.10:3478'], roomCapacity: 2 });
    cleanups.push(() => app.stop());
    const { url } = await app.start();
    expect(app.config.roomCapacity).toBe(2);
    expect(app.config.resumeGraceMs).toBe(10_000); // RESUME_GRACE_MS's default
    const [a, b, c] = [await client(url, '/socket.io'), await client(url, '/socket.io'), await client(url, '/socket.io')];
    await join(a, 'two');
    await join(b, 'two');
    const full = await request<JoinAck>(c, 'join', { room: 'two' });
    expect(full.ok ? null : full.error.code).toBe('room-full');
  });

  it('a bad option fails at once, naming the option', () => {
    expect(() => createSignalingServer({ ...quiet, roomCapacity: 100 })).toThrow(ConfigError);
    expect(() => createSignalingServer({ ...quiet, roomCapacity: 100 })).toThrow(/roomCapacity: /);
    expect(() => createSignalingServer({ ...quiet, port: 'x' as never })).toThrow(/port: /);
    expect(() => createSignalingServer({ ...quiet, turnEnabled: false })).toThrow(/turnUrls: required when TURN_ENABLED=false/);
  });
});

describe('CORS_ORIGINS', () => {
  it("long-polling from a listed origin gets CORS headers, another origin none; WebSocket needs none", async () => {
    const app = createSignalingServer({ ...quiet, port: 0, host: '127.0.0.1', turnEnabled: false, turnUrls: ['turn:203.0.113.10:3478'], corsOrigins: ['https://app.example.com'] });
    cleanups.push(() => app.stop());
    const { url } = await app.start();
    const poll = (origin: string) => fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    expect((await poll('https://app.example.com')).headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await poll('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
    expect(() => createSignalingServer({ ...quiet, corsOrigins: ['app.example.com/path'] })).toThrow(/corsOrigins: .*must be \*/);
  });
});
