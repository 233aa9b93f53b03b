/**
 * HOST unset: the server listens on `::`, one socket for IPv6 and IPv4 clients. Real clients over
 * [::1] and over 127.0.0.1 join one room and exchange a signal; the server sees the IPv4 client as
 * 127.0.0.1 (not `::ffff:127.0.0.1`); the base URL and the ICE servers name no wildcard.
 *
 * A host without IPv6 cannot be made here (a network namespace with IPv6 disabled by sysctl still
 * binds `::`; only a kernel booted with ipv6.disable=1 answers EAFNOSUPPORT), so the fallback is
 * tested with the HTTP server's listen refusing `::` the way such a kernel does.
 */
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import type { AuthorizeRequest } from '../../server/credentials/authorize.js';
import type { IceServer } from '../../server/protocol/index.js';
import { connectClient, join, next, request } from './harness.js';

const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});

function capturingLog() {
  const lines: string[] = [];
  return { lines, log: createLogger('info', { write: (l: string) => void lines.push(l) }) };
}

/** An app from env-style variables, HOST unset unless given. */
function app(env: Record<string, string>, deps: Parameters<typeof createApp>[1] = {}): App {
  const a = createApp(loadConfig({ PORT: '0', TURN_ENABLED: 'false', TURN_URLS: 'turn:203.0.113.10:3478', TURN_SECRET: 'dual-stack-secret-0123456789', LOG_LEVEL: 'silent', ...env }), { log: createLogger('silent'), ...deps });
  apps.push(a);
  return a;
}

/** Makes `listen(port, '::')` fail as on a kernel without IPv6; records every host tried. */
function withoutIpv6(http: Server, code: string): string[] {
  const tried: string[] = [];
  const listen = http.listen.bind(http) as (...a: unknown[]) => Server;
  (http as unknown as { listen: (...a: unknown[]) => Server }).listen = (...args: unknown[]) => {
    tried.push(String(args[1]));
    if (args[1] !== '::') return listen(...args);
    const err = Object.assign(new Error(`listen ${code} :::${String(args[0])}`), { code, errno: -97, syscall: 'listen', address: '::' });
    setImmediate(() => http.emit('error', err));
    return http;
  };
  return tried;
}

describe('HOST unset: one dual-stack listener', () => {
  it('clients over [::1] and over 127.0.0.1 share a room; the URL and ICE servers name no wildcard', async () => {
    const seen: string[] = [];
    const authorize = (r: AuthorizeRequest) => (seen.push(r.handshake.address), true as const);
    // The embedded relay (a child process): its ICE server URLs come from PUBLIC_IP/PUBLIC_IP6.
    const a = app({ TURN_ENABLED: 'true', TURN_URLS: '', TURN_PORT: '0', TURN_LISTEN_IP: '::', PUBLIC_IP: '127.0.0.1', PUBLIC_IP6: '::1' }, { authorize });
    expect(a.config.host).toBe('::');
    const started = await a.start();
    expect(started.host).toBe('::');
    expect(started.url).toBe(`http://localhost:${started.port}`);
    expect(a.http.address()).toMatchObject({ address: '::', family: 'IPv6' });

    const v6 = await connectClient(`http://[::1]:${started.port}`);
    const v4 = await connectClient(`http://127.0.0.1:${started.port}`);
    const j6 = await join(v6, 'dual');
    const j4 = await join(v4, 'dual');
    expect(seen).toEqual(['::1', '127.0.0.1']);
    const got = next(v6, 'signal');
    await request(v4, 'signal', { to: j6.peerId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toEqual({ from: j4.peerId, data: { type: 'offer', sdp: 'v=0' } });

    const urls = j4.iceServers.flatMap((s: IceServer) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
    const port = started.relay!.udp.port;
    expect(urls).toContain(`turn:127.0.0.1:${port}?transport=udp`);
    expect(urls).toContain(`turn:[::1]:${port}?transport=udp`);
    for (const u of urls) expect(u).not.toMatch(/\[::\]|0\.0\.0\.0/);
    // The ICE-server route over either family hands out the same addresses.
    const res = await fetch(`http://[::1]:${started.port}/api/ice-servers?room=dual`);
    const body = (await res.json()) as { iceServers: IceServer[] };
    expect(body.iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))).toEqual(urls);
  }, 30_000);

  for (const code of ['EAFNOSUPPORT', 'EADDRNOTAVAIL']) {
    it(`a host without IPv6 (${code} on ::): listens on 0.0.0.0 and logs a warning`, async () => {
      const { lines, log } = capturingLog();
      const a = app({}, { log });
      const tried = withoutIpv6(a.http, code);
      const started = await a.start();
      expect(tried).toEqual(['::', '0.0.0.0']);
      expect(started.host).toBe('0.0.0.0');
      expect(started.url).toBe(`http://localhost:${started.port}`);
      const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string; code?: string }).find((l) => l.level === 40);
      expect(warning?.code).toBe(code);
      expect(warning?.msg).toMatch(/cannot listen on :: \(this host has no IPv6\): listening on 0\.0\.0\.0/);
      const c = await connectClient(`http://127.0.0.1:${started.port}`);
      await join(c, 'v4-only');
    });
  }

  it('an explicit HOST=:: that cannot be bound fails start (no silent fallback)', async () => {
    const a = app({ HOST: '::' });
    const tried = withoutIpv6(a.http, 'EAFNOSUPPORT');
    await expect(a.start()).rejects.toMatchObject({ code: 'EAFNOSUPPORT' });
    expect(tried).toEqual(['::']);
  });
});
