/**
 * Accessible and polished: axe-core finds no serious or critical violation on the start page and
 * the room page (in a call), in light and dark mode; the call is keyboard operable with its
 * shortcuts shown; focus moves in reading order; dark mode follows prefers-color-scheme.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { browserSuite, ctx, openPair, poll } from '../support/e2e.js';

/** What has focus: its test id, else its tag and accessible text. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return el ? (el.dataset.testid ?? `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}`) : null;
});

/** Nothing focused (key presses go to the document). */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

async function tabOrder(page: Page, n: number): Promise<Array<string | null>> {
  const out: Array<string | null> = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    out.push(await focused(page));
  }
  return out;
}

/** Relative luminance of a CSS rgb() colour (WCAG 2.x). */
const luminance = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('accessibility', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('start page: no serious axe violation in light and dark mode; keyboard order; dark follows the system', async () => {
    const context = await suite.browser.newContext({ colorScheme: 'light' });
    try {
      const page = await context.newPage();
      await page.goto(`${ctx().baseUrl}/`);
      await page.waitForSelector('[data-testid=create-room]');
      // The audit can fail: a button without a name is reported.
      await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'unnamed' })));
      expect((await seriousViolations(page)).map((v) => v.id)).toContain('button-name');
      await page.evaluate(() => document.getElementById('unnamed')!.remove());
      expect(await seriousViolations(page)).toEqual([]);
      expect(luminance(await bodyBackground(page))).toBeGreaterThan(0.8);
      expect(await tabOrder(page, 4)).toEqual(['name-input', 'create-room', 'room-input', 'join-room']);
      // Enter in the room field joins that room.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.type('kbd-room');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/r\/kbd-room$/);

      await page.goto(`${ctx().baseUrl}/`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForSelector('[data-testid=create-room]');
      expect(luminance(await bodyBackground(page))).toBeLessThan(0.05);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: 'test-results/start-page-dark.png' });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('room page: no serious axe violation in a call (light and dark); shortcuts shown and working; focus order', async () => {
    const [alice, bob] = await openPair(suite, 'a11y');
    const { page } = alice;

    // Focus order follows the page: header, then the call, then the side panels.
    await blur(page);
    const order = await tabOrder(page, 8);
    expect(order.slice(0, 4)).toEqual(['a:Switchboard start page', 'copy-link', 'relay-only', 'start-call']);
    expect(order.indexOf('chat-input')).toBeGreaterThan(order.indexOf('start-call'));

    // The call starts from the keyboard (Enter on the focused button).
    await page.focus('[data-testid=start-call]');
    await page.keyboard.press('Enter');
    await bob.page.click('[data-testid=start-call]');
    await poll('alice in the call, two tiles', async () => (await alice.state()).call.inCall && (await page.locator('[data-testid=video-tile]').count()) === 2, 30_000);

    // Shortcuts are announced and shown on their buttons.
    for (const [id, key] of [['toggle-mic', 'M'], ['toggle-camera', 'V'], ['leave-call', 'Shift+L']] as const) {
      const b = page.locator(`[data-testid=${id}]`);
      expect(await b.getAttribute('aria-keyshortcuts')).toBe(key);
      expect(await b.locator('kbd').textContent()).toBe(key);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(luminance(await bodyBackground(page))).toBeLessThan(0.05);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/room-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // Typing an "m" in the chat is not a shortcut.
    await page.fill('[data-testid=chat-input]', '');
    await page.focus('[data-testid=chat-input]');
    await page.keyboard.type('m');
    expect((await alice.state()).call.audio).toBe(true);
    // Outside a text field, M mutes (and again unmutes), V turns the camera off, Shift+L leaves.
    await blur(page);
    await page.keyboard.press('m');
    await poll('muted by M', async () => (await alice.state()).call.audio === false);
    await poll('bob sees alice muted', async () => (await bob.state()).peers[0]!.media.audio === false);
    await poll('the button says Unmute', async () => (await page.textContent('[data-testid=toggle-mic] .btn-label')) === 'Unmute');
    await page.keyboard.press('m');
    await poll('unmuted by M', async () => (await alice.state()).call.audio === true);
    await page.keyboard.press('v');
    await poll('camera off by V', async () => (await alice.state()).call.video === false);
    await page.keyboard.press('l'); // without Shift: nothing
    expect((await alice.state()).call.inCall).toBe(true);
    await page.keyboard.press('Shift+L');
    await poll('left the call by Shift+L', async () => (await alice.state()).call.inCall === false);
    await poll('bob sees alice leave', async () => (await bob.state()).peers[0]!.media.inCall === false);
  }, 150_000);
});
