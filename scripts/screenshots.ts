/**
 * The README's screenshots (docs/screenshots/), taken again: a three-person call with Chromium's
 * fake camera and microphone (Alan Turing's page, with Ada Lovelace and Grace Hopper), two chat
 * messages and a received image; the same room on a phone and in dark mode; the start page on a
 * phone; and Grace sharing her screen. The browsers and the server run as in the e2e tests
 * (test/support/e2e-setup.ts: inside a network namespace when root).
 *
 *   npx tsx scripts/screenshots.ts [--out DIR] [--wait SECONDS] [--allow-poor]
 *
 * The pictures show each connection's round trip and quality, so they are only worth taking on a
 * quiet machine: it waits (default 60 s) for every connection to be "Good quality" and fails
 * otherwise, unless `--allow-poor` (to try the script out). `--out` (default docs/screenshots)
 * takes them somewhere else. Look at them before committing them.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, poll } from '../test/support/browser.js';
import setup, { type E2eContext } from '../test/support/e2e-setup.js';
import type { HookState } from '../web/src/ui/hook.js';

const { values: args } = parseArgs({
  options: { out: { type: 'string', default: 'docs/screenshots' }, wait: { type: 'string', default: '60' }, 'allow-poor': { type: 'boolean', default: false } },
});
const outDir = resolve(args.out!);
const waitMs = Number(args.wait) * 1000;
if (!Number.isFinite(waitMs) || waitMs <= 0) throw new Error('--wait takes a number of seconds');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The other two pages are not photographed: small, so they cost the machine less. */
const SMALL = { width: 640, height: 480 };

interface Person {
  page: Page;
  state(): Promise<HookState>;
}

async function joinAs(browser: Browser, base: string, room: string, name: string, viewport = SMALL): Promise<Person> {
  const { page } = await openPage(browser, `${base}/`, viewport);
  await page.evaluate((n) => localStorage.setItem('switchboard.name', n), name);
  await page.goto(`${base}/r/${room}`);
  return { page, state: () => page.evaluate(() => (window as unknown as { switchboard: { state(): HookState } }).switchboard.state()) };
}

/** Every <video> of the page has a picture whose time advances. */
async function videosPlay(p: Person, what: string, count: number): Promise<void> {
  const times = () => p.page.evaluate(() => [...document.querySelectorAll('video')].map((v) => (v.videoWidth > 0 ? v.currentTime : -1)));
  const first = await poll(`${what}: ${count} videos with a picture`, async () => {
    const t = await times();
    return t.length === count && t.every((x) => x >= 0) ? t : null;
  }, 60_000);
  await poll(`${what}: the videos play`, async () => (await times()).every((t, i) => t > first[i]!), 30_000);
}

/** A small diagram, drawn by the page (the "dropped image" of the desktop shot). */
async function diagram(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    [c.width, c.height] = [240, 160];
    const g = c.getContext('2d')!;
    g.fillStyle = '#eef2fb';
    g.fillRect(0, 0, 240, 160);
    g.fillStyle = '#2f6fd6';
    g.fillRect(16, 24, 80, 48);
    g.fillRect(144, 88, 80, 48);
    g.strokeStyle = '#1f2a3a';
    g.lineWidth = 3;
    g.beginPath();
    g.moveTo(96, 48);
    g.lineTo(144, 112);
    g.stroke();
    return c.toDataURL('image/png').split(',')[1]!;
  });
  return Buffer.from(b64, 'base64');
}

async function main(): Promise<void> {
  let ctx: E2eContext | undefined;
  const teardown = await setup({ provide: (_k: string, v: E2eContext) => void (ctx = v) } as never);
  const browser = await launchChromium(ctx!.chromium, { fakeMedia: true });
  try {
    const base = ctx!.baseUrl;
    const room = `team-${Math.random().toString(36).slice(2, 8)}`;
    // Alan joins last (he offers to both): his page is the one photographed.
    const ada = await joinAs(browser, base, room, 'Ada Lovelace');
    const grace = await joinAs(browser, base, room, 'Grace Hopper');
    const alan = await joinAs(browser, base, room, 'Alan Turing', DESKTOP);
    const everyone = [alan, ada, grace];
    for (const p of everyone) {
      await poll('everyone connected', async () => (await p.state()).peers.filter((x) => x.conn === 'connected').length === 2, 60_000);
    }
    for (const p of everyone) await p.page.click('[data-testid=start-call]');
    for (const [p, who] of [[alan, 'Alan'], [ada, 'Ada'], [grace, 'Grace']] as const) await videosPlay(p, who, 3);

    await grace.page.fill('[data-testid=chat-input]', 'Sharing the slides now');
    await grace.page.click('[data-testid=chat-send]');
    await poll('the first message at Alan’s', async () => (await alan.state()).chat.length === 1);
    await ada.page.fill('[data-testid=chat-input]', 'Thanks! Dropping the diagram in too');
    await ada.page.click('[data-testid=chat-send]');
    await ada.page.setInputFiles('[data-testid=file-input]', { name: 'diagram.png', mimeType: 'image/png', buffer: await diagram(ada.page) });
    await ada.page.click('[data-testid=file-send]');
    await poll('the diagram verified at Alan’s', async () => (await alan.state()).transfers.some((t) => t.name === 'diagram.png' && t.verified === true), 30_000);
    await poll('its preview', async () => (await alan.page.locator('[data-testid=transfer-preview]').count()) === 1);

    // Round trips and frame rates as a quiet machine shows them.
    const good = () => alan.page.locator('[data-testid=peer-quality]').evaluateAll((els) => els.length === 2 && els.every((e) => (e as HTMLElement).dataset.quality === 'good'));
    await poll('every connection of good quality', good, waitMs).catch((err: Error) => {
      const load = loadavg().map((l) => l.toFixed(2)).join(', ');
      if (!args['allow-poor']) throw new Error(`${err.message}: the machine is too busy for these pictures (load average ${load}); take them on a quiet one, or pass --allow-poor to try the script`);
      console.warn(`[screenshots] not every connection is of good quality (load average ${load}): going on (--allow-poor)`);
    });

    const shot = async (name: string, page: Page = alan.page) => {
      await page.mouse.move(0, 0); // no tile's hover buttons (the last click was over a tile)
      await page.screenshot({ path: join(outDir, name) });
      console.log(`[screenshots] ${join(args.out!, name)}`);
    };
    await shot('room-desktop.png');
    await alan.page.emulateMedia({ colorScheme: 'dark' });
    await shot('room-desktop-dark.png');
    await alan.page.emulateMedia({ colorScheme: 'light' });
    await alan.page.setViewportSize(PHONE);
    await shot('room-phone.png');
    await alan.page.setViewportSize(DESKTOP);

    const start = (await openPage(browser, `${base}/`, PHONE)).page;
    await shot('start-phone.png', start);
    await start.context().close();

    // Grace shares her screen (Chromium's fake screen): on Alan's page it is pinned, large.
    await grace.page.click('[data-testid=share-screen]');
    const graceId = (await grace.state()).selfId!;
    await poll('Grace’s screen tile at Alan’s', async () => (await alan.page.locator(`[data-testid=video-tile][data-peer-id="screen:${graceId}"].pinned`).count()) === 1, 30_000);
    await videosPlay(alan, 'Alan, with Grace’s screen', 4);
    await shot('room-screen-share.png');
  } finally {
    await browser.close().catch(() => undefined);
    await teardown();
  }
}

await main();
