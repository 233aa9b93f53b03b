/**
 * Who is speaking and the layout: each tile's audio level (WebAudio analyser) and the active speaker
 * highlighted (Bob muted, so Alice's fake microphone is the one speaking); pin a tile, full screen;
 * the grid's columns for 1 to 8 tiles on a desktop and a phone viewport, from the page's own CSS.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPair, poll } from '../support/e2e.js';

/** Lays out `n` tiles with the page's CSS (a grid beside the real one); returns each tile's box. */
const layout = (page: Page, n: number) => page.evaluate((count) => {
  document.getElementById('layout-probe')?.remove();
  const grid = Object.assign(document.createElement('div'), { id: 'layout-probe', className: 'tiles' });
  grid.dataset.count = String(count);
  grid.dataset.layout = 'grid';
  for (let i = 0; i < count; i++) grid.append(Object.assign(document.createElement('figure'), { className: 'tile' }));
  document.querySelector('[data-testid=video-grid]')!.after(grid);
  const box = grid.getBoundingClientRect();
  const tiles = [...grid.children].map((t) => t.getBoundingClientRect());
  return { columns: new Set(tiles.map((r) => Math.round(r.left))).size, minWidth: Math.min(...tiles.map((r) => r.width)), right: Math.max(...tiles.map((r) => r.right)), gridRight: box.right, bottom: Math.max(...tiles.map((r) => r.bottom)), viewportWidth: innerWidth, top: box.top };
}, n);

describe('speaking and layout', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('audio level per tile, the active speaker highlighted; pin and full screen', async () => {
    const [alice, bob] = await openPair(suite, 'speak');
    for (const c of [alice, bob]) await c.page.click('[data-testid=start-call]');
    await poll('two tiles at bob', async () => (await bob.page.locator('[data-testid=video-tile]').count()) === 2, 30_000);
    await bob.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bob.page.keyboard.press('m');
    await poll('alice sees bob muted', async () => (await alice.state()).peers[0]!.media.audio === false);
    const aliceId = (await alice.state()).selfId!;
    const tileAt = (c: typeof bob, key: string) => c.page.locator(`[data-testid=video-tile][data-peer-id="${key}"]`);

    // Bob's page: Alice's tile shows her level and is the active speaker; Bob's own (muted) is not.
    const heard = await poll('alice speaking at bob', async () => {
      const t = tileAt(bob, aliceId);
      const level = Number(await t.getAttribute('data-level'));
      return level > 0.02 && (await t.getAttribute('class'))!.includes('speaking') ? level : null;
    }, 20_000);
    expect(heard).toBeGreaterThan(0.02);
    expect(Number(await tileAt(bob, aliceId).locator('[data-testid=tile-meter]').evaluate((m) => getComputedStyle(m).getPropertyValue('--level')))).toBeGreaterThan(0);
    expect(await tileAt(bob, 'self').getAttribute('data-level')).toBe('0.000');
    expect(await tileAt(bob, 'self').getAttribute('class')).not.toContain('speaking');
    // Alice's page: her own unmuted microphone is measured too.
    await poll('alice hears herself on the meter', async () => Number(await tileAt(alice, 'self').getAttribute('data-level')) > 0.02, 20_000);

    // Pin Alice at Bob: her tile first and large, the other small; the button says so.
    await tileAt(bob, aliceId).hover();
    await tileAt(bob, aliceId).locator('[data-testid=tile-pin]').click();
    await poll('pinned layout', async () => (await bob.page.getAttribute('[data-testid=video-grid]', 'data-layout')) === 'pinned');
    const pin = tileAt(bob, aliceId).locator('[data-testid=tile-pin]');
    expect(await pin.getAttribute('aria-pressed')).toBe('true');
    expect(await pin.getAttribute('aria-label')).toBe('Unpin Alice');
    const [first, big, small] = await bob.page.evaluate((id) => {
      const tiles = [...document.querySelectorAll('[data-testid=video-grid] [data-testid=video-tile]')] as HTMLElement[];
      return [tiles[0]!.dataset.peerId, tiles.find((t) => t.dataset.peerId === id)!.getBoundingClientRect().width, tiles.find((t) => t.dataset.peerId === 'self')!.getBoundingClientRect().width];
    }, aliceId);
    expect(first).toBe(aliceId);
    expect(big as number).toBeGreaterThan((small as number) * 3);
    await bob.page.screenshot({ path: 'test-results/pinned.png' });
    await pin.click();
    await poll('back to the grid', async () => (await bob.page.getAttribute('[data-testid=video-grid]', 'data-layout')) === 'grid');

    // Full screen: the tile itself.
    await tileAt(bob, aliceId).locator('[data-testid=tile-fullscreen]').click();
    await poll('full screen tile', async () => bob.page.evaluate(() => (document.fullscreenElement as HTMLElement | null)?.dataset.testid === 'video-tile'));
    await bob.page.evaluate(() => document.exitFullscreen());
    await poll('full screen left', async () => bob.page.evaluate(() => document.fullscreenElement === null));
  }, 120_000);

  it('a grid for 1 to 8 tiles on a desktop and on a phone', async () => {
    const [alice] = await openPair(suite, 'grid');
    const expected = { desktop: [1, 2, 2, 2, 3, 3, 4, 4], phone: [1, 1, 2, 2, 2, 2, 2, 2] };
    for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      await alice.page.setViewportSize(viewport);
      for (let n = 1; n <= 8; n++) {
        const l = await layout(alice.page, n);
        expect(l.columns, `${device}, ${n} tiles: columns`).toBe(expected[device][n - 1]);
        expect(l.right, `${device}, ${n} tiles: inside the grid`).toBeLessThanOrEqual(l.gridRight + 1);
        expect(l.gridRight, `${device}: no horizontal scrolling`).toBeLessThanOrEqual(l.viewportWidth);
        expect(l.minWidth, `${device}, ${n} tiles: tile width`).toBeGreaterThan(device === 'phone' ? 150 : 190);
        // On a desktop every count fits the screen's height under the header.
        if (device === 'desktop') expect(l.bottom - l.top, `${n} tiles: height`).toBeLessThan(viewport.height - 120);
      }
      await alice.page.screenshot({ path: `test-results/grid-8-${device}.png` });
    }
  }, 90_000);
});
