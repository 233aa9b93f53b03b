/**
 * Screen sharing with headless Debian Chromium: --use-fake-ui-for-media-stream with
 * --use-fake-device-for-media-stream makes getDisplayMedia return a fake screen ("screen:…",
 * displaySurface monitor) without a picker, so the app's own code path runs unchanged. (Measured:
 * --auto-accept-this-tab-capture and --auto-select-tab-capture-source-by-title= give this tab;
 * --auto-select-desktop-capture-source= never answers headless, there is no desktop.)
 * The screen goes out in place of the camera (replaceTrack: no renegotiation), shows as its own
 * tile here; stopped from the app and from the browser (its track ends), the camera goes back out.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, openPair, poll } from '../support/e2e.js';
import { countNegotiations, negotiations } from '../support/rtc-probe.js';

const sendingVideo = (page: Page) => page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
  .filter((pc) => pc.connectionState === 'connected')
  .flatMap((pc) => pc.getSenders().filter((s) => s.track?.kind === 'video').map((s) => s.track!.label)).join());
const tiles = (page: Page) => page.locator('[data-testid=video-grid] [data-testid=video-tile]').evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.peerId));

describe('screen sharing', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('shares the screen as its own tile, without renegotiating; stops from the app and from the browser', async () => {
    const [alice, bob] = await openPair(suite, 'screen', { setup: countNegotiations });
    for (const c of [alice, bob]) await c.page.click('[data-testid=start-call]');
    for (const c of [alice, bob]) await poll('frames both ways', async () => (await c.state()).peers[0]!.framesDecoded > 0, 30_000);
    const camera = await sendingVideo(alice.page);
    expect(camera).toMatch(/^fake_device/);
    const sld = [await negotiations(alice.page), await negotiations(bob.page)];
    const bobSends = await sendingVideo(bob.page);

    await alice.page.click('[data-testid=share-screen]');
    await poll('alice sends her screen', async () => (await sendingVideo(alice.page)).startsWith('screen:'), 20_000);
    // Alice's page: the screen is a tile of its own, her camera preview stays.
    await poll('screen tile', async () => (await tiles(alice.page)).join() === ['screen:self', 'self', (await alice.state()).peers[0]!.id].join());
    expect(await alice.page.textContent('[data-testid=video-tile][data-peer-id="screen:self"] figcaption')).toBe('Your screen');
    const preview = await alice.page.evaluate(() => ((document.querySelector('[data-testid=video-tile][data-peer-id="self"] video') as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.label);
    expect(preview).toBe(camera);
    expect(await alice.page.textContent('[data-testid=share-screen]')).toBe('Stop sharing');
    // Bob sees it in Alice's tile (the fake screen is 1280 wide, the camera 640), and is unaffected.
    await poll('bob decodes the screen', async () => bob.page.evaluate(() => [...document.querySelectorAll('[data-testid=remote-video]')].some((v) => (v as HTMLVideoElement).videoWidth > 640)), 30_000);
    expect(await sendingVideo(bob.page)).toBe(bobSends);
    expect([await negotiations(alice.page), await negotiations(bob.page)]).toEqual(sld);
    await alice.page.screenshot({ path: 'test-results/screen-share.png' });

    // Stopped from the app: the camera goes back out, the screen tile goes.
    await alice.page.click('[data-testid=share-screen]');
    await poll('camera again', async () => (await sendingVideo(alice.page)) === camera, 20_000);
    await poll('no screen tile', async () => !(await tiles(alice.page)).includes('screen:self'));

    // Stopped from the browser's own control: the screen track ends.
    await alice.page.click('[data-testid=share-screen]');
    await poll('sharing again', async () => (await sendingVideo(alice.page)).startsWith('screen:'), 20_000);
    await poll('screen tile again', async () => (await tiles(alice.page)).includes('screen:self'));
    await alice.page.evaluate(() => {
      const v = document.querySelector('[data-testid=video-tile][data-peer-id="screen:self"] video') as HTMLVideoElement;
      const t = (v.srcObject as MediaStream).getVideoTracks()[0]!;
      t.stop();
      t.dispatchEvent(new Event('ended')); // what the browser's "Stop sharing" does
    });
    await poll('camera after the browser stopped it', async () => (await sendingVideo(alice.page)) === camera, 20_000);
    await poll('screen tile gone', async () => !(await tiles(alice.page)).includes('screen:self'));
    expect([await negotiations(alice.page), await negotiations(bob.page)]).toEqual(sld);
    expect((await alice.state()).call).toMatchObject({ inCall: true, video: true });
  }, 150_000);
});
