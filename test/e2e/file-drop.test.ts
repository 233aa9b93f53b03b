/**
 * Files dropped onto the room (a synthetic DataTransfer drop, as a drag from the desktop gives):
 * several at once, queued and sent one after another with progress, all verified; a dropped image
 * is previewed on both sides.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, openPair, poll } from '../support/e2e.js';

describe('file drop', () => {
  const suite = browserSuite();

  it('three files dropped at once: queued, sent in order, verified; the image previewed', async () => {
    const [alice, bob] = await openPair(suite, 'drop');
    await poll('alice can send', async () => !(await alice.page.isDisabled('[data-testid=file-send]')));

    // A PNG drawn in the page and two 3 MB random files, dropped together onto the call.
    const dropped = await alice.page.evaluate(async () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#2f62d6';
      g.fillRect(0, 0, 64, 48);
      const png = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
      const random = (n: number) => {
        const b = new Uint8Array(n);
        for (let off = 0; off < n; off += 65536) crypto.getRandomValues(b.subarray(off, off + 65536));
        return b;
      };
      const dt = new DataTransfer();
      dt.items.add(new File([random(3 << 20)], 'first.bin', { type: 'application/octet-stream' }));
      dt.items.add(new File([png], 'picture.png', { type: 'image/png' }));
      dt.items.add(new File([random(3 << 20)], 'third.bin', { type: 'application/octet-stream' }));
      const on = document.querySelector('[data-testid=video-grid]')!;
      const fire = (type: string) => on.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      fire('dragenter');
      fire('dragover');
      const overlay = document.querySelector('[data-testid=drop-overlay]') as HTMLElement;
      const shown = { hidden: overlay.hidden, text: overlay.textContent };
      const accepted = !fire('drop'); // the page called preventDefault: the browser does not open the file
      return { shown, accepted, hiddenAfter: overlay.hidden, queued: [...document.querySelectorAll('[data-testid=queued-row]')].map((r) => (r as HTMLElement).dataset.name) };
    });
    expect(dropped.shown).toEqual({ hidden: false, text: 'Drop to send to everyone' });
    expect(dropped.accepted).toBe(true);
    expect(dropped.hiddenAfter).toBe(true);
    // The first is under way at once; the others wait their turn.
    expect(dropped.queued).toEqual(['third.bin', 'picture.png']);

    const done = await poll('bob has all three, verified', async () => {
      const t = (await bob.state()).transfers.filter((x) => x.direction === 'in');
      return t.length === 3 && t.every((x) => x.state === 'done' && x.verified) ? t : null;
    }, 60_000);
    // One after another: they started in the order dropped.
    expect(done.map((t) => t.name)).toEqual(['first.bin', 'picture.png', 'third.bin']);
    await poll('alice: every file done, nothing queued', async () => {
      const s = await alice.state();
      return s.transfers.filter((t) => t.state === 'done' && t.verified).length === 3 && (await alice.page.locator('[data-testid=queued-row]').count()) === 0;
    });

    // Progress bars at 100 on both sides, and the image previewed on both (a decoded 64x48 picture).
    for (const c of [alice, bob]) {
      await poll('bars at 100', async () => (await c.page.locator('[data-testid=transfer-progress]').evaluateAll((bars) => bars.map((b) => (b as HTMLProgressElement).value))).join() === '100,100,100');
      const preview = await poll('image preview', async () => c.page.evaluate(() => {
        const img = document.querySelector('[data-testid=transfer-row][data-name="picture.png"] img') as HTMLImageElement | null;
        return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight, alt: img.alt } : null;
      }));
      expect(preview).toEqual({ w: 64, h: 48, alt: 'Preview of picture.png' });
      // Only the image has a preview.
      expect(await c.page.locator('[data-testid=transfer-preview]').count()).toBe(1);
    }
    await bob.page.screenshot({ path: 'test-results/file-drop.png' });
  }, 120_000);
});
