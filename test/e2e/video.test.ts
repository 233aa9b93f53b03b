/** Video call with Chromium's fake camera: frames decoded on both sides, mute works, screenshots. */
import { describe, expect, it } from 'vitest';
import { browserSuite, launch, openRoom, poll, roomName, waitConnected } from '../support/e2e.js';

describe('video call', () => {
  const suite = browserSuite({ fakeMedia: true });

  it('starts a call on a data-only connection, decodes remote frames on both sides, mutes', async () => {
    const room = roomName('video');
    const alice = await suite.open(room, 'Alice');
    const bob = await suite.open(room, 'Bob');
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);
    const generation = (await alice.state()).peers[0]!.generation;

    // Alice (the peer that waited, i.e. not the initiator) starts first: renegotiation via the initiator.
    await alice.page.click('[data-testid=start-call]');
    await bob.page.click('[data-testid=start-call]');
    for (const [c, who] of [[alice, 'alice'], [bob, 'bob']] as const) {
      await poll(`${who} decodes remote video`, async () => {
        const s = await c.state();
        return s.call.inCall && s.peers[0]!.framesDecoded > 0 && s.peers[0]!.hasStream;
      }, 20_000);
    }
    // Same connection, renegotiated (not replaced).
    expect((await alice.state()).peers[0]!.generation).toBe(generation);
    await poll('two tiles on each side', async () => (await alice.page.locator('[data-testid=video-tile]').count()) === 2 && (await bob.page.locator('[data-testid=video-tile]').count()) === 2);

    // Mute: the local track is disabled and the other side is told.
    await alice.page.click('[data-testid=toggle-mic]');
    await poll('alice muted', async () => (await alice.state()).call.audio === false);
    expect(await alice.page.evaluate(() => {
      const v = document.querySelector('[data-testid=local-video]') as HTMLVideoElement;
      return (v.srcObject as MediaStream).getAudioTracks().every((t) => !t.enabled);
    })).toBe(true);
    await poll('bob sees alice muted', async () => (await bob.state()).peers[0]!.media.audio === false);
    await poll('button says Unmute', async () => (await alice.page.textContent('[data-testid=toggle-mic] .btn-label')) === 'Unmute');
    // Frames keep flowing.
    const before = (await bob.state()).peers[0]!.framesDecoded;
    await poll('more frames', async () => (await bob.state()).peers[0]!.framesDecoded > before);

    // Every <video> of the page has a frame; when not, the poll's last value says which ones.
    const tiles = () => alice.page.evaluate(() => {
      const vs = [...document.querySelectorAll('video')];
      if (vs.every((v) => v.videoWidth > 0)) return true;
      return vs.map((v) => {
        const s = v.srcObject as MediaStream | null;
        return `${v.dataset.testid ?? v.className}: ${v.videoWidth}x${v.videoHeight} ready ${v.readyState} paused ${v.paused} tracks ${s ? s.getTracks().map((t) => `${t.kind}:${t.readyState}:${t.muted ? 'muted' : 'live'}`).join(',') : 'none'}`;
      }).join(' | ');
    });
    let seen: string | true = '';
    await poll('both tiles playing', async () => (seen = await tiles()) === true, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; alice's videos: ${String(seen)}`);
    });
    await alice.page.screenshot({ path: 'test-results/video-call.png' });
    await alice.page.setViewportSize({ width: 390, height: 844 });
    await alice.page.screenshot({ path: 'test-results/video-call-phone.png', fullPage: true });
    const start = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await start.goto(new URL('/', alice.page.url()).href);
    await start.screenshot({ path: 'test-results/start-page.png' });
    await start.setViewportSize({ width: 390, height: 844 });
    await start.screenshot({ path: 'test-results/start-page-phone.png' });
    await start.close();

    // Leave the call: the other side drops the tile.
    await alice.page.click('[data-testid=leave-call]');
    await poll('bob sees alice leave the call', async () => (await bob.state()).peers[0]!.media.inCall === false);
    await poll('one tile left at bob', async () => (await bob.page.locator('[data-testid=video-tile]').count()) === 1);
  }, 150_000);

  it('says so clearly when there is no camera', async () => {
    const noMedia = await launch({ fakeMedia: false });
    try {
      const c = await openRoom(noMedia, roomName('nocam'), 'Carol');
      await c.page.click('[data-testid=start-call]');
      const err = await poll('camera error', async () => (await c.state()).call.error);
      expect(err).toMatch(/denied|No camera|camera/i);
      expect(await c.page.textContent('[data-testid=call-error]')).toBe(err);
      await c.close();
    } finally {
      await noMedia.close();
    }
  }, 150_000);
});
