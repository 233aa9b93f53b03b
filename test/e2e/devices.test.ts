/**
 * Devices: pick the camera and microphone mid-call (Chromium's fake devices, two cameras), swapped
 * with replaceTrack and no renegotiation (no setLocalDescription on either side, same connection),
 * the choice remembered across a reload; a camera unplugged mid-call (its track ends) replaced by
 * the other; clear states for permission denied (no grant in the browser context) and no device.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type Client, ctx, launch, openRoom, poll, roomName, waitConnected } from '../support/e2e.js';
import { countNegotiations, negotiations } from '../support/rtc-probe.js';

/** What this page sends: the labels of its senders' tracks, by kind. */
const sending = (page: Page, kind: 'audio' | 'video') => page.evaluate((k) => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
  .filter((pc) => pc.connectionState === 'connected')
  .flatMap((pc) => pc.getSenders().filter((s) => s.track?.kind === k).map((s) => s.track!.label)), kind);
const localTrack = (page: Page, kind: 'audio' | 'video') => page.evaluate((k) => {
  const v = document.querySelector('[data-testid=local-video]') as HTMLVideoElement | null;
  const t = (v?.srcObject as MediaStream | null)?.getTracks().find((x) => x.kind === k);
  return t ? { label: t.label, id: t.getSettings().deviceId, state: t.readyState } : null;
}, kind);
const options = (page: Page, id: string) => page.locator(`[data-testid=${id}] option`).evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent })));
/** Audio packets this page received so far. */
const audioIn = (page: Page) => page.evaluate(async () => {
  let n = 0;
  for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) (await pc.getStats()).forEach((s: Record<string, unknown>) => void (s.type === 'inbound-rtp' && s.kind === 'audio' && (n += Number(s.packetsReceived ?? 0))));
  return n;
});
const frames = async (c: Client) => (await c.state()).peers[0]!.framesDecoded;

describe('devices', () => {
  let browser: Browser;
  const clients: Client[] = [];
  beforeAll(async () => {
    // Two fake cameras; no --use-fake-ui-for-media-stream: the context's permissions decide.
    browser = await launchChromium(ctx().chromium, { extra: ['--use-fake-device-for-media-stream=device-count=2'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await browser?.close();
  });
  const open = async (room: string, name: string, setup?: (c: BrowserContext) => Promise<void>) => {
    const c = await openRoom(browser, room, name, { setup: async (context) => (await countNegotiations(context), await setup?.(context)) });
    clients.push(c);
    return c;
  };

  it('switches camera and microphone mid-call without renegotiating, remembers them, survives an unplugged camera', async () => {
    const room = roomName('devices');
    const alice = await open(room, 'Alice');
    const bob = await open(room, 'Bob');
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);
    for (const c of [alice, bob]) await c.page.click('[data-testid=start-call]');
    for (const c of [alice, bob]) await poll('frames both ways', async () => (await frames(c)) > 0, 30_000);

    const cams = await poll('two cameras listed with labels', async () => {
      const o = await options(alice.page, 'device-videoinput');
      return o.length === 2 && o.every((x) => x.value && x.label) ? o : null;
    });
    const mics = await options(alice.page, 'device-audioinput');
    expect(mics.length).toBeGreaterThan(1);
    const before = await localTrack(alice.page, 'video');
    expect(await alice.page.inputValue('[data-testid=device-videoinput]')).toBe(before!.id);
    const other = cams.find((c) => c.value !== before!.id)!;
    const generation = (await alice.state()).peers[0]!.generation;
    const sld = [await negotiations(alice.page), await negotiations(bob.page)];

    await alice.page.selectOption('[data-testid=device-videoinput]', other.value);
    await poll('alice sends the other camera', async () => (await sending(alice.page, 'video')).join() === other.label);
    expect((await localTrack(alice.page, 'video'))).toMatchObject({ id: other.value, state: 'live' });
    // The new camera plays locally. (Bob's decoder is not checked for the camera: Chromium's second
    // fake camera stamps its frames on its own clock, and a sender switched to it stalls after about
    // 20 frames, also with two bare RTCPeerConnections in one page and no app code; a canvas track
    // or another track of the same fake camera keeps flowing. Real cameras share one clock.)
    await poll('the new camera plays', async () => alice.page.evaluate(() => (document.querySelector('[data-testid=local-video]') as HTMLVideoElement).videoWidth > 0));
    const micNow = (await localTrack(alice.page, 'audio'))?.id;
    const mic = mics.find((m) => m.value !== micNow && m.value !== 'default')!;
    await alice.page.selectOption('[data-testid=device-audioinput]', mic.value);
    const heard = await audioIn(bob.page);
    await poll('alice sends the other microphone', async () => (await sending(alice.page, 'audio')).join() === mic.label);
    await poll('bob keeps receiving alice\'s audio', async () => (await audioIn(bob.page)) > heard + 50, 20_000);
    // No renegotiation: no new local description on either side, the same connection.
    expect([await negotiations(alice.page), await negotiations(bob.page)]).toEqual(sld);
    expect((await alice.state()).peers[0]!.generation).toBe(generation);
    if (await alice.page.locator('[data-testid=device-audiooutput]').count()) {
      expect((await options(alice.page, 'device-audiooutput')).length).toBeGreaterThan(0);
    }

    // Remembered: after a reload the call starts with the cameras and microphone picked.
    await alice.page.reload();
    await waitConnected(alice, 1);
    await alice.page.click('[data-testid=start-call]');
    await poll('the remembered camera', async () => (await localTrack(alice.page, 'video'))?.id === other.value);
    expect((await localTrack(alice.page, 'audio'))?.label).toBe(mic.label);
    expect(await alice.page.inputValue('[data-testid=device-videoinput]')).toBe(other.value);

    // Unplugged mid-call (the track ends without the page stopping it): the other camera takes over.
    // (Not decoded frames: see the second fake camera above; its frames are sent but not decoded.)
    await poll('alice in the call again, sending the remembered camera', async () => (await sending(alice.page, 'video')).join() === other.label && (await bob.state()).peers.some((p) => p.conn === 'connected' && p.media.video && p.hasStream), 30_000);
    await poll('negotiation settled', async () => alice.page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.every((pc) => pc.signalingState === 'stable' || pc.signalingState === 'closed')));
    const sldBefore = await negotiations(alice.page);
    await alice.page.evaluate(() => {
      const v = document.querySelector('[data-testid=local-video]') as HTMLVideoElement;
      const t = (v.srcObject as MediaStream).getVideoTracks()[0]!;
      t.stop(); // as the browser does when the device goes
      t.dispatchEvent(new Event('ended'));
    });
    await poll('unplugged state', async () => (await alice.page.getAttribute('[data-testid=call-error]', 'data-state')) === 'unplugged');
    expect(await alice.page.textContent('[data-testid=call-error]')).toMatch(/camera was disconnected; switched to/);
    await poll('the first camera again', async () => (await localTrack(alice.page, 'video'))?.id === before!.id && (await sending(alice.page, 'video')).join() === before!.label);
    expect(await negotiations(alice.page)).toBe(sldBefore);
    expect((await alice.state()).call.video).toBe(true);
    // Back on the first camera, Bob decodes Alice again.
    await poll('bob decodes the first camera', async () => (await bob.state()).peers.some((p) => p.conn === 'connected' && p.framesDecoded > 0), 30_000);
  }, 150_000);

  it('says clearly when camera access is denied', async () => {
    const c = await open(roomName('denied'), 'Dora', (context) => context.clearPermissions());
    await c.page.click('[data-testid=start-call]');
    await poll('denied state', async () => (await c.page.getAttribute('[data-testid=call-error]', 'data-state')) === 'denied');
    expect(await c.page.textContent('[data-testid=call-error]')).toMatch(/access was denied/);
    expect((await c.state()).call.inCall).toBe(false);
    expect(await c.page.isVisible('[data-testid=start-call]')).toBe(true); // can try again
  }, 60_000);

  it('says clearly when there is no camera or microphone', async () => {
    const bare = await launch({ fakeMedia: false }); // no fake devices: this machine has none
    try {
      const c = await openRoom(bare, roomName('nodev'), 'Nell');
      await c.page.click('[data-testid=start-call]');
      await poll('no-device state', async () => (await c.page.getAttribute('[data-testid=call-error]', 'data-state')) === 'no-device');
      expect(await c.page.textContent('[data-testid=call-error]')).toMatch(/No camera or microphone was found/);
      expect(await c.page.textContent('[data-testid=device-videoinput]')).toBe('No camera found');
      await c.close();
    } finally {
      await bare.close();
    }
  }, 60_000);
});

