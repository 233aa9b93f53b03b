/** Helpers shared by the browser tests: open pages in the e2e namespace and read `window.switchboard`. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { HookState } from '../../web/src/ui/hook.js';
import { launchChromium, openPage, poll } from './browser.js';
import type { E2eContext } from './e2e-setup.js';

export { poll };
export type { HookState };

export function ctx(): E2eContext {
  return inject('e2e');
}

export async function launch(opts: { fakeMedia?: boolean } = {}): Promise<Browser> {
  return launchChromium(ctx().chromium, { fakeMedia: opts.fakeMedia ?? true });
}

export function roomName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface Client {
  page: Page;
  logs: string[];
  state(): Promise<HookState>;
  close(): Promise<void>;
}

/** Open `/r/<room>` (joins at once) under `name`, remembered in localStorage before load. */
export async function openRoom(
  browser: Browser,
  room: string,
  name: string,
  opts: { query?: string; baseUrl?: string; viewport?: { width: number; height: number }; setup?: (context: BrowserContext) => Promise<void> } = {},
): Promise<Client> {
  const base = opts.baseUrl ?? ctx().baseUrl;
  const { context, page, logs } = await openPage(browser, `${base}/`, opts.viewport, opts.setup);
  await page.evaluate((n) => localStorage.setItem('switchboard.name', n), name);
  await page.goto(`${base}/r/${room}${opts.query ? `?${opts.query}` : ''}`);
  return {
    page,
    logs,
    state: () => page.evaluate(() => (window as unknown as { switchboard: { state(): HookState } }).switchboard.state()),
    close: () => context.close(),
  };
}

export interface BrowserSuite {
  readonly browser: Browser;
  /** Every client opened through `open`, closed after the suite. */
  readonly clients: Client[];
  open(room: string, name: string, opts?: Parameters<typeof openRoom>[3]): Promise<Client>;
}

/**
 * One browser for a describe block: launched before its tests, closed after them together with every
 * page opened through `open`. Unless `checkProtocol` is false, each client must finish with no
 * protocol errors (every signal it sent was accepted by the server's schema).
 */
export function browserSuite(opts: { fakeMedia?: boolean; checkProtocol?: boolean } = {}): BrowserSuite {
  let browser: Browser | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    browser = await launch(opts);
  });
  afterAll(async () => {
    if (opts.checkProtocol ?? true) {
      for (const c of clients) {
        const s = await c.state().catch(() => null);
        if (s) expect(s.protocolErrors).toEqual([]);
      }
    }
    for (const c of clients) await c.close().catch(() => undefined);
    await browser?.close();
  }, 150_000);
  const suite: BrowserSuite = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
    clients,
    async open(room, name, o = {}) {
      const c = await openRoom(suite.browser, room, name, o);
      clients.push(c);
      return c;
    },
  };
  return suite;
}

/** Wait until `c` is joined and connected (data channel up) to `n` peers. */
export async function waitConnected(c: Client, n: number, timeoutMs = 40_000): Promise<HookState> {
  return poll(`${n} connected peer(s)`, async () => {
    const s = await c.state();
    return s.status === 'joined' && s.peers.filter((p) => p.conn === 'connected').length === n ? s : null;
  }, timeoutMs).catch(async (err: Error) => {
    throw new Error(`${err.message}\nstate: ${JSON.stringify(await c.state().catch(() => null))}\nconsole: ${c.logs.slice(-10).join('\n')}`);
  });
}

/** Wait until every peer of `c` has stats with a known path. */
export async function waitPath(c: Client, timeoutMs = 10_000): Promise<HookState> {
  return poll('path stats', async () => {
    const s = await c.state();
    return s.peers.length > 0 && s.peers.every((p) => p.path !== 'unknown') ? s : null;
  }, timeoutMs);
}

/** Alice and Bob in a fresh room named after `prefix`, connected to each other. */
export async function openPair(suite: BrowserSuite, prefix: string, opts?: Parameters<typeof openRoom>[3]): Promise<[Client, Client]> {
  const room = roomName(prefix);
  const alice = await suite.open(room, 'Alice', opts);
  const bob = await suite.open(room, 'Bob', opts);
  await waitConnected(alice, 1);
  await waitConnected(bob, 1);
  return [alice, bob];
}
