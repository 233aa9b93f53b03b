/**
 * Mesh bandwidth: each outgoing video is capped through RTCRtpSender.setParameters by the budget
 * of ui/bandwidth.ts, lower (and scaled down) when a third peer joins the call, back up when it
 * leaves; the page shows the cap and each peer's quality.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, openPair, poll, waitConnected } from '../support/e2e.js';
import { countNegotiations, videoSenders } from '../support/rtc-probe.js';

describe('mesh bandwidth', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('caps each copy of the camera as the call grows, and shows each peer\'s quality', async () => {
    const [alice, bob] = await openPair(suite, 'budget', { setup: countNegotiations });
    for (const c of [alice, bob]) await c.page.click('[data-testid=start-call]');
    const limits = (n: number) => poll(`alice's ${n} video sender(s) capped`, async () => {
      const s = await videoSenders(alice.page);
      return s.length === n ? s : null;
    }, 30_000);
    const one = await poll('one receiver: 1.2 Mb/s, full size', async () => {
      const s = await limits(1);
      return s[0]!.maxBitrate === 1_200_000 ? s : null;
    }, 30_000);
    expect(one).toMatchObject([{ maxBitrate: 1_200_000, scale: 1, maxFramerate: 30 }]);
    await poll('the cap shown', async () => /up to 1\.2 Mb\/s to each of 1 person/.test((await alice.page.textContent('[data-testid=uplink-cap]')) ?? ''));

    // Cat joins the call: two copies of Alice's camera, 900 kb/s each (1.8 Mb/s), 427x240.
    const room = (await alice.state()).room;
    const cat = await suite.open(room, 'Cat', { setup: countNegotiations });
    await waitConnected(cat, 2);
    await cat.page.click('[data-testid=start-call]');
    const two = await poll('two receivers: 900 kb/s each, scaled down', async () => {
      const s = await limits(2);
      return s.every((x) => x.maxBitrate === 900_000 && x.scale === 1.5) ? s : null;
    }, 40_000);
    expect(two.map((x) => x.maxFramerate)).toEqual([30, 30]);
    // The encoder follows: at most 640/1.5 pixels wide.
    await poll('frames at most 427 wide', async () => {
      const s = await videoSenders(alice.page);
      return s.length === 2 && s.every((x) => x.frameWidth !== null && x.frameWidth <= 427);
    }, 30_000);
    await poll('the cap shown', async () => /up to 900 kb\/s to each of 2 people/.test((await alice.page.textContent('[data-testid=uplink-cap]')) ?? ''));
    // Each peer's quality, from its round trip and the frame rate received.
    const badges = await poll('a quality badge per peer', async () => {
      const q = await alice.page.locator('[data-testid=peer-quality]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.quality));
      return q.length === 2 ? q : null;
    });
    for (const q of badges) expect(['good', 'fair', 'poor']).toContain(q);

    // Cat leaves the call: back to one copy at the full cap.
    await cat.page.click('[data-testid=leave-call]');
    await poll('back to 1.2 Mb/s', async () => {
      const s = await videoSenders(alice.page);
      return s.length === 2 && s.every((x) => x.maxBitrate === 1_200_000 && x.scale === 1);
    }, 30_000);
  }, 150_000);
});
