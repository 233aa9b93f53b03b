/**
 * Screen sharing with headless Debian Chromium: --use-fake-ui-for-media-stream with
 * --use-fake-device-for-media-stream makes getDisplayMedia return a fake screen ("screen:…",
 * displaySurface monitor) without a picker, so the app's own code path runs unchanged. (Measured:
 * --auto-accept-this-tab-capture and --auto-select-tab-capture-source-by-title= give this tab;
 * --auto-select-desktop-capture-source= never answers headless, there is no desktop.)
 * The screen goes out beside the camera (a second video track: Room.shareScreen) and every page
 * shows it as a tile of its own; stopped from the app and from the browser (its track ends), the
 * tile goes on both sides. One room of three: Alice shares (she answered both connections, so
 * her screen takes simple-peer's transceiver request), Carol joins while she does, then Carol
 * shares (she offered both), and Bob never shares.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, type Client, poll, roomName, waitConnected } from '../support/e2e.js';
import { countNegotiations, negotiations } from '../support/rtc-probe.js';

/** The labels of the tracks each connected peer connection sends as video, sorted. */
const sendingVideo = (page: Page) => page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
  .filter((pc) => pc.connectionState === 'connected')
  .flatMap((pc) => pc.getSenders().filter((s) => s.track?.kind === 'video').map((s) => s.track!.label)).sort().join());
const tiles = (page: Page) => page.locator('[data-testid=video-grid] [data-testid=video-tile]').evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.peerId!).sort());

/** One tile's figure and video, by key (`self`, a peer id, `screen:<id>`), or null. */
const tile = (page: Page, key: string) => page.evaluate((k) => {
  const f = document.querySelector(`[data-testid=video-tile][data-peer-id="${k}"]`);
  const v = f?.querySelector('video');
  if (!f || !v) return null;
  return {
    screen: f.classList.contains('screen'),
    pinned: f.classList.contains('pinned'),
    label: f.querySelector('figcaption')?.textContent ?? '',
    width: v.videoWidth,
    time: v.currentTime,
    track: (v.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id ?? null,
  };
}, key);

/** The tile `key` plays: it has a picture, and its time advances. */
async function playing(page: Page, key: string, what: string) {
  const first = await poll(`${what}: a picture`, async () => {
    const t = await tile(page, key);
    return t && t.width > 0 ? t : null;
  }, 30_000);
  await poll(`${what}: frames keep coming`, async () => ((await tile(page, key))?.time ?? 0) > first.time, 15_000);
  return first;
}

/** What the browser's own "Stop sharing" does: the screen track ends. */
const endScreenTrack = (page: Page) => page.evaluate(() => {
  const v = document.querySelector('[data-testid=video-tile][data-peer-id="screen:self"] video') as HTMLVideoElement;
  const t = (v.srcObject as MediaStream).getVideoTracks()[0]!;
  t.stop();
  t.dispatchEvent(new Event('ended'));
});

describe('screen sharing', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('shows a shared screen as its own tile on every page, beside the camera; stops from the app and from the browser', async () => {
    const room = roomName('screen');
    const alice = await suite.open(room, 'Alice', { setup: countNegotiations });
    const bob = await suite.open(room, 'Bob', { setup: countNegotiations });
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);
    const id = async (c: Client) => (await c.state()).selfId!;
    const [a, b] = [await id(alice), await id(bob)];
    for (const c of [alice, bob]) await c.page.click('[data-testid=start-call]');
    for (const c of [alice, bob]) await poll('frames both ways', async () => (await c.state()).peers[0]!.framesDecoded > 0, 30_000);
    const camera = await sendingVideo(alice.page);
    expect(camera).toMatch(/^fake_device/);
    const bobSends = await sendingVideo(bob.page);
    await playing(bob.page, a, "Alice's camera at Bob's");

    // Alice shares: her screen goes out beside her camera.
    await alice.page.click('[data-testid=share-screen]');
    await poll('alice sends her screen and her camera', async () => /^fake_device[^,]*,screen:/.test(await sendingVideo(alice.page)), 20_000);
    expect(await alice.page.textContent('[data-testid=share-screen]')).toBe('Stop sharing');
    await poll('alice: her screen tile', async () => (await tiles(alice.page)).join() === [b, 'screen:self', 'self'].sort().join());
    expect(await tile(alice.page, 'screen:self')).toMatchObject({ screen: true, pinned: false, label: 'Your screen' });

    // Bob: Alice's screen as a tile of its own, pinned, beside her camera tile; both play.
    await poll('bob: alice’s screen tile', async () => (await tiles(bob.page)).join() === [a, `screen:${a}`, 'self'].sort().join(), 30_000);
    const screenAtBob = await playing(bob.page, `screen:${a}`, "Alice's screen at Bob's");
    expect(screenAtBob).toMatchObject({ screen: true, pinned: true, label: 'Alice’s screen' });
    expect((await bob.state()).peers[0]).toMatchObject({ hasScreen: true, hasStream: true });
    expect((await alice.state()).call).toMatchObject({ screen: true, video: true });
    const cameraAtBob = await playing(bob.page, a, "Alice's camera at Bob's, while she shares");
    expect(cameraAtBob).toMatchObject({ screen: false, pinned: false, label: 'Alice' });
    expect(cameraAtBob.track).not.toBe(screenAtBob.track);
    // The fake screen is 1280 wide, the camera 640 (both scaled alike by the uplink budget).
    expect(screenAtBob.width).toBeGreaterThan(cameraAtBob.width);
    expect(await sendingVideo(bob.page)).toBe(bobSends);
    await bob.page.screenshot({ path: 'test-results/screen-share.png' });

    // Carol joins while Alice shares: she sees the screen too. Bob's and Carol's tiles are cameras.
    const carol = await suite.open(room, 'Carol', { setup: countNegotiations });
    await waitConnected(carol, 2);
    const c = await id(carol);
    await carol.page.click('[data-testid=start-call]');
    await poll('carol: alice’s screen tile', async () => (await tiles(carol.page)).join() === [a, b, `screen:${a}`, 'self'].sort().join(), 30_000);
    expect(await playing(carol.page, `screen:${a}`, "Alice's screen at Carol's")).toMatchObject({ screen: true, pinned: true, label: 'Alice’s screen' });
    await poll('bob: carol’s camera tile', async () => (await tiles(bob.page)).join() === [a, c, `screen:${a}`, 'self'].sort().join(), 30_000);
    expect(await playing(bob.page, c, "Carol's camera at Bob's")).toMatchObject({ screen: false, label: 'Carol' });

    // Stopped from the app: the screen tile goes on every page; the cameras stay.
    await alice.page.click('[data-testid=share-screen]');
    await poll('alice sends her camera only', async () => (await sendingVideo(alice.page)) === [camera, camera].join(), 20_000);
    for (const [p, who] of [[alice.page, 'alice'], [bob.page, 'bob'], [carol.page, 'carol']] as const) {
      await poll(`${who}: no screen tile`, async () => !(await tiles(p)).some((k) => k.startsWith('screen:')), 20_000);
    }
    expect(await tiles(bob.page)).toEqual([a, c, 'self'].sort());
    await playing(bob.page, a, "Alice's camera at Bob's, after she stopped");

    // Shared again (on the same senders: no renegotiation), then stopped from the browser's control.
    const sld = [await negotiations(alice.page), await negotiations(bob.page), await negotiations(carol.page)];
    await alice.page.click('[data-testid=share-screen]');
    await playing(bob.page, `screen:${a}`, "Alice's screen at Bob's, shared again");
    await playing(carol.page, `screen:${a}`, "Alice's screen at Carol's, shared again");
    expect([await negotiations(alice.page), await negotiations(bob.page), await negotiations(carol.page)]).toEqual(sld);
    await endScreenTrack(alice.page);
    for (const [p, who] of [[alice.page, 'alice'], [bob.page, 'bob'], [carol.page, 'carol']] as const) {
      await poll(`${who}: no screen tile after the browser stopped it`, async () => !(await tiles(p)).some((k) => k.startsWith('screen:')), 20_000);
    }
    expect(await alice.page.textContent('[data-testid=share-screen]')).toBe('Share screen');
    expect((await alice.state()).call).toMatchObject({ inCall: true, video: true, screen: false });
    expect((await bob.state()).peers.map((p) => p.hasScreen)).toEqual([false, false]);

    // Carol, who made the offers, shares: the other way round through simple-peer.
    await carol.page.click('[data-testid=share-screen]');
    for (const [p, who] of [[alice.page, 'alice'], [bob.page, 'bob']] as const) {
      expect(await playing(p, `screen:${c}`, `Carol's screen at ${who}'s`)).toMatchObject({ screen: true, label: 'Carol’s screen' });
    }
    await carol.page.click('[data-testid=share-screen]');
    await poll('bob: carol’s screen gone', async () => (await tiles(bob.page)).join() === [a, c, 'self'].sort().join(), 20_000);
  }, 240_000);
});
