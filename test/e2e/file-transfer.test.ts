/** A 20 MB random file from one page to another: progress to 100 % on both sides, SHA-256 equal. */
import { describe, expect, it } from 'vitest';
import { randomFileInPage } from '../support/browser.js';
import { browserSuite, poll, roomName, waitConnected } from '../support/e2e.js';

describe('file transfer', () => {
  const suite = browserSuite();

  it('sends 20 MB with backpressure and verifies SHA-256 on arrival', async () => {
    const room = roomName('file');
    const alice = await suite.open(room, 'Alice');
    const bob = await suite.open(room, 'Bob');
    await waitConnected(alice, 1);
    const { selfId: bobId } = await waitConnected(bob, 1);

    // The file is made in the page (sending 20 MB through setInputFiles costs ~15 s of CDP); its
    // hash comes from WebCrypto, independent of the client's own incremental SHA-256.
    const size = Number(process.env.E2E_FILE_MB ?? 20) * 1024 * 1024; // E2E_FILE_MB=100 for the big check
    const expected = await randomFileInPage(alice.page, size, 'random.bin');
    const data = { length: size };
    await alice.page.selectOption('[data-testid=file-target]', bobId!);
    const started = Date.now();
    await alice.page.click('[data-testid=file-send]');

    const received = await poll('bob verifies the file', async () => {
      const t = (await bob.state()).transfers.find((x) => x.direction === 'in' && x.name === 'random.bin');
      return t && t.state !== 'receiving' ? t : null;
    }, 60_000 + size / 10_000, 200);
    expect(received).toMatchObject({ state: 'done', verified: true, sha256: expected, size: data.length, transferred: data.length });
    const sent = await poll('alice sees the verdict', async () => {
      const t = (await alice.state()).transfers.find((x) => x.direction === 'out');
      return t && t.state !== 'sending' && t.state !== 'verifying' ? t : null;
    }, 15_000);
    expect(sent).toMatchObject({ state: 'done', verified: true, sha256: expected, transferred: data.length });
    // The receiver streamed into Blobs: its JS heap does not hold the file.
    const heap = await bob.page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    console.log(`[e2e] ${size >> 20} MB transferred and verified in ${Date.now() - started} ms; receiver JS heap ${heap >> 20} MB`);
    if (heap) expect(heap).toBeLessThan(Math.max(64 << 20, size / 2));

    // Both progress bars at 100 %, and the receiver offers the file.
    for (const c of [alice, bob]) {
      await poll('progress bar at 100', async () => (await c.page.locator('[data-testid=transfer-progress]').first().getAttribute('value')) === '100');
    }
    await poll('download link', async () => (await bob.page.locator('[data-testid=transfer-download]').count()) === 1);
    await bob.page.screenshot({ path: 'test-results/file-transfer.png' });
  }, 150_000);
});
