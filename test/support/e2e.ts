/** Helpers shared by the browser tests: open pages in the e2e namespace and read `window.switchboard`. */
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
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
export async function openRoom(browser: Browser, room: string, name: string, opts: { query?: string; baseUrl?: string; viewport?: { width: number; height: number } } = {}): Promise<Client> {
  const base = opts.baseUrl ?? ctx().baseUrl;
  const { context, page, logs } = await openPage(browser, `${base}/`, opts.viewport);
  await page.evaluate((n) => localStorage.setItem('switchboard.name', n), name);
  await page.goto(`${base}/r/${room}${opts.query ? `?${opts.query}` : ''}`);
  return {
    page,
    logs,
    state: () => page.evaluate(() => (window as unknown as { switchboard: { state(): HookState } }).switchboard.state()),
    close: () => context.close(),
  };
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
