/**
 * `switchboard/client` in someone else's app: examples/vite-chat (the README's "Use it in your
 * app" example) built with Vite against the packed package, with no Node polyfills, served from
 * its own origin, and opened twice in Chromium; the two tabs meet in a room on our server,
 * exchange a message each way and a file whose SHA-256 the receiver verifies.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InstalledPackage, packAndInstall } from '../support/pack.js';
import { REPO_ROOT } from '../support/server.js';
import { ctx, launch, poll, roomName } from '../support/e2e.js';

const run = promisify(execFile);
/**
 * The example's own origin, another than our server's: served by Playwright from the Vite build.
 * `localhost` is a secure context, which Chromium's Local Network Access requires before it lets a
 * page reach a loopback address such as our server's inside the test namespace.
 */
const ORIGIN = 'http://localhost:9';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let pkg: InstalledPackage;
let viteOutput = '';
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  pkg = await packAndInstall('vite-example');
  for (const f of ['index.html', 'main.js']) cpSync(join(REPO_ROOT, 'examples/vite-chat', f), join(pkg.dir, f));
  const vite = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const res = await run(process.execPath, [vite, 'build', '--outDir', 'dist', '--emptyOutDir'], { cwd: pkg.dir, timeout: 120_000 });
  viteOutput = `${res.stdout}${res.stderr}`;
  browser = await launch({ fakeMedia: false });
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openExample(room: string, name: string): Promise<{ page: Page; log: () => Promise<string[]>; errors: string[] }> {
  // The permission a user grants at Chromium's Local Network Access prompt (the app's origin and our
  // server are both on the namespace's loopback, on different ports; in production both are public).
  const context = await browser!.newContext({ permissions: ['local-network-access'] });
  contexts.push(context);
  const dist = join(pkg.dir, 'dist');
  await context.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist)) return route.fulfill({ status: 404 });
    try {
      await route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    } catch {
      await route.fulfill({ status: 404 });
    }
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() !== 'log' && errors.push(`[${m.type()}] ${m.text()}`));
  page.on('requestfailed', (r) => errors.push(`[request failed] ${r.url()}: ${r.failure()?.errorText}`));
  const q = new URLSearchParams({ server: ctx().baseUrl, room, name });
  await page.goto(`${ORIGIN}/?${q}`);
  return { page, errors, log: () => page.locator('#log li').allTextContents() };
}

describe('the SDK in a Vite app, from the packed package', () => {
  it('builds without Node polyfills or browser-compatibility warnings', () => {
    expect(viteOutput).toMatch(/built in/);
    expect(viteOutput).not.toMatch(/externalized for browser compatibility|polyfill|warning/i);
  });

  it('two tabs exchange a message each way and a 3 MB file, verified by SHA-256', async () => {
    const room = roomName('vite');
    const ann = await openExample(room, 'Ann');
    const bob = await openExample(room, 'Bob');
    const has = (c: typeof ann, line: string) => poll(`"${line}"`, async () => (await c.log()).includes(line), 30_000)
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nlog: ${JSON.stringify(await c.log())}\nerrors: ${c.errors.slice(0, 10).join('; ')}`);
      });
    await has(ann, 'Bob: hi from Bob');
    await has(bob, 'Ann: hi from Ann');
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    await ann.page.setInputFiles('#file', { name: 'data.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await has(bob, `got data.bin: ${bytes.length} bytes, SHA-256 verified`);
    expect([...ann.errors, ...bob.errors]).toEqual([]);
  }, 90_000);
});
