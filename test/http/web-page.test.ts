/**
 * The web client's page: rendered per request with the client script inline (allowed by its CSP
 * hash and nothing else inline) and, on a room page, the ICE servers as boot data, on the terms of
 * GET /api/ice-servers.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { mintRoomToken } from '../../server/credentials/room-token.js';
import { IceServerBuilder } from '../../server/credentials/ice-servers.js';
import { createHttpApp, WEB_DIST } from '../../server/http/index.js';
import { bootJson, parsePage } from '../../server/http/web-page.js';
import { parseBoot } from '../../web/src/boot.js';

const ROOM_SECRET = 'room-secret-for-tests-0123456789';
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A page.html as the build writes it, with `script` inline. */
function fakeBuild(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-page-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeBuild(dir, script);
  return dir;
}

function writeBuild(dir: string, script: string): void {
  writeFileSync(join(dir, 'page.html'), `<!doctype html><html><head><!--sb-boot--><script>${script}</script></head><body><div id="app"></div></body></html>`);
}

async function serve(webRoot: string, env: Record<string, string> = {}): Promise<string> {
  const config = loadConfig({ PORT: '0', TURN_ENABLED: 'false', TURN_URLS: 'turn:203.0.113.10:3478?transport=udp', TURN_SECRET: 'test-turn-secret-0123456789', LOG_LEVEL: 'silent', ...env });
  const app = createHttpApp({
    config,
    ice: new IceServerBuilder(config),
    trustProxy: false,
    webRoot,
    signalingStats: async () => ({}),
    relayStats: async () => null,
    members: async () => [],
    readiness: { notReadyReason: async () => undefined },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const bootOf = (html: string) => parseBoot(/<script id="sb-boot" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1]);
const scriptSrc = (csp: string | null) => /script-src ([^;]*)/.exec(csp ?? '')?.[1]?.split(' ') ?? [];

describe('the page', () => {
  it('names its icon, which is served, and /favicon.ico leads to it (no 404 on every page load)', async () => {
    const base = await serve(WEB_DIST);
    expect(await (await fetch(`${base}/r/icon-room`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const ico = await fetch(`${base}/favicon.ico`, { redirect: 'manual' });
    expect([ico.status, ico.headers.get('location')]).toEqual([301, '/favicon.svg']);
  });

  it('a room page carries ICE servers and is not stored; its CSP allows exactly the inline script', async () => {
    const script = 'window.ran = 1;';
    const base = await serve(fakeBuild(script));
    const res = await fetch(`${base}/r/lobby`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(`<script>${script}</script>`);
    const boot = bootOf(html);
    expect(boot.iceServers?.some((s) => s.username && s.credential && s.urls.some((u) => u.startsWith('turn:')))).toBe(true);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(scriptSrc(res.headers.get('content-security-policy'))).toEqual(["'self'", `'sha256-${hash}'`]);
  });

  it('the start page and bad room names get no boot data', async () => {
    const base = await serve(fakeBuild('1'));
    for (const path of ['/', '/r/bad%20name']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain('sb-boot"');
    }
  });

  it('with ROOM_SECRET, ICE servers only with a valid token for that room', async () => {
    const base = await serve(fakeBuild('1'), { ROOM_SECRET });
    const none = await (await fetch(`${base}/r/vip`)).text();
    expect(bootOf(none).iceServers).toBeUndefined();
    const other = mintRoomToken(ROOM_SECRET, 'other', 600).token;
    expect(bootOf(await (await fetch(`${base}/r/vip?t=${encodeURIComponent(other)}`)).text()).iceServers).toBeUndefined();
    const { token } = mintRoomToken(ROOM_SECRET, 'vip', 600);
    expect(bootOf(await (await fetch(`${base}/r/vip?t=${encodeURIComponent(token)}`)).text()).iceServers?.length).toBeGreaterThan(0);
  });

  it('a missing or broken build: the page says so (503), every other route works, with the plain CSP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-page-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const base = await serve(dir);
    for (const html of [null, '<!doctype html><p>no marker</p>', '<!--sb-boot--><script>unclosed']) {
      if (html !== null) writeFileSync(join(dir, 'page.html'), html);
      const res = await fetch(`${base}/r/x`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(scriptSrc(health.headers.get('content-security-policy'))).toEqual(["'self'"]);
      expect((await fetch(`${base}/api/config`)).status).toBe(200);
    }
  });

  it('the template itself is not served', async () => {
    const base = await serve(fakeBuild('1'));
    expect((await fetch(`${base}/page.html`)).status).toBe(404);
  });

  it('not built: 503 with what to run; a rebuild while running is picked up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-page-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const base = await serve(dir);
    const missing = await fetch(`${base}/r/x`);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build:web');
    writeBuild(dir, 'first()');
    expect(await (await fetch(`${base}/`)).text()).toContain('first()');
    writeBuild(dir, 'second()');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'page.html'), later, later); // a new mtime even on a coarse clock
    const res = await fetch(`${base}/`);
    expect(await res.text()).toContain('second()');
    expect(scriptSrc(res.headers.get('content-security-policy'))).toContain(`'sha256-${createHash('sha256').update('second()').digest('base64')}'`);
  });

  it('boot JSON cannot close its script element', () => {
    const json = bootJson({ iceServers: [{ urls: ['turn:x'], username: '</script><script>alert(1)</script>', credential: '<!--' }] });
    expect(json).not.toMatch(/<\/script|<!--/i);
    expect(parseBoot(json).iceServers?.[0]?.username).toBe('</script><script>alert(1)</script>');
  });

  it('parseBoot ignores what is not boot data', () => {
    expect(parseBoot(null)).toEqual({});
    expect(parseBoot('{')).toEqual({});
    expect(parseBoot('{"iceServers":[{"urls":"stun:x"}]}')).toEqual({});
    expect(parseBoot('{"iceServers":[{"urls":["stun:x"],"username":5}]}')).toEqual({});
    expect(parseBoot('{"iceServers":[{"urls":["stun:x"]}]}')).toEqual({ iceServers: [{ urls: ['stun:x'] }] });
  });
});

describe('the real build (scripts/build-web.mjs, run by npm test before vitest)', () => {
  it('inlines app.js exactly, after the boot marker, and the server hashes exactly that script', () => {
    const page = join(WEB_DIST, 'page.html');
    if (!existsSync(page)) throw new Error(`${page} is missing: run \`npm run build:web\` (npm test does)`);
    const html = readFileSync(page, 'utf8');
    expect(html.indexOf('<!--sb-boot-->')).toBeLessThan(html.indexOf('<script>'));
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(script, 'page.html has one inline <script>').toBeTruthy();
    expect(script!.startsWith(readFileSync(join(WEB_DIST, 'app.js'), 'utf8').trimEnd())).toBe(true);
    expect(parsePage(html)?.scriptHash).toBe(`'sha256-${createHash('sha256').update(script!).digest('base64')}'`);
  });
});
