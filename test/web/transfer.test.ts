import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TransferInfo } from '../../web/src/core/transfer.js';
import { source, wire } from './transfer-fakes.js';

describe('file transfer protocol', () => {
  it('moves a file in chunks with backpressure, reports progress on both sides and verifies SHA-256', async () => {
    const { sender, receiver, a, run } = wire();
    const data = randomBytes(300_000 + 123);
    const updates: TransferInfo[] = [];
    sender.on('update', (i) => updates.push(i));
    let blob: Blob | undefined;
    receiver.on('received', (_i, b) => (blob = b));
    const sending = sender.send('bob', a, source(data));
    await run(() => sender.list()[0]?.state === 'done');
    await sending;
    const [out] = sender.list();
    const [inn] = receiver.list();
    const hash = createHash('sha256').update(data).digest('hex');
    expect(out).toMatchObject({ direction: 'out', state: 'done', verified: true, sha256: hash, transferred: data.length });
    expect(inn).toMatchObject({ direction: 'in', state: 'done', verified: true, sha256: hash, transferred: data.length, name: 'f.bin' });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(data)).toBe(true);
    // Never more than highWater + one chunk (plus header and control) buffered.
    expect(a.max()).toBeLessThanOrEqual(16_384 + 1005 + 200);
    // The sender's progress followed the receiver's acks, increasing.
    const progress = updates.filter((u) => u.state === 'sending').map((u) => u.transferred);
    expect(progress.length).toBeGreaterThan(5);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
  });

  it('a corrupted chunk fails the check on both sides', async () => {
    const { sender, receiver, a, run } = wire();
    const data = randomBytes(20_000);
    const origSend = a.send.bind(a);
    let n = 0;
    a.send = (d) => {
      if (typeof d !== 'string' && ++n === 3) d[10] = d[10]! ^ 0xff;
      origSend(d);
    };
    void sender.send('bob', a, source(data));
    await run(() => ['done', 'failed'].includes(sender.list()[0]?.state ?? ''));
    expect(receiver.list()[0]).toMatchObject({ state: 'failed', verified: false, error: 'SHA-256 mismatch' });
    expect(sender.list()[0]).toMatchObject({ state: 'failed', verified: false });
  });

  it('cancel from either side stops both', async () => {
    const { sender, receiver, a, run } = wire({ highWater: 4096 });
    const data = randomBytes(500_000);
    const sending = sender.send('bob', a, source(data));
    await run(() => (receiver.list()[0]?.transferred ?? 0) > 50_000);
    receiver.cancel(receiver.list()[0]!.key, 'no thanks');
    await run(() => sender.list()[0]?.state === 'cancelled');
    await sending;
    expect(sender.list()[0]).toMatchObject({ state: 'cancelled', error: 'cancelled by peer: no thanks' });
    expect(receiver.list()[0]!.state).toBe('cancelled');
    expect(sender.list()[0]!.transferred).toBeLessThan(data.length);
  });

  it('a peer that goes away fails its unfinished transfers', async () => {
    const { sender, receiver, a, run } = wire({ highWater: 4096 });
    void sender.send('bob', a, source(randomBytes(200_000)));
    await run(() => (receiver.list()[0]?.transferred ?? 0) > 10_000);
    a.isOpen = false;
    a.pump();
    sender.peerGone('bob');
    receiver.peerGone('alice');
    expect(sender.list()[0]).toMatchObject({ state: 'failed', error: 'peer disconnected' });
    expect(receiver.list()[0]).toMatchObject({ state: 'failed', error: 'peer disconnected' });
  });

  it('a channel that closes with its buffer full fails the send (it used to spin without yielding)', async () => {
    const { sender, a } = wire({ highWater: 16_384, resumeWindowMs: 0 });
    const sending = sender.send('bob', a, source(randomBytes(200_000)));
    // Nothing is delivered: the buffer fills past the high-water mark and the sender waits.
    for (let i = 0; i < 1000 && a.bufferedAmount <= 16_384; i++) await new Promise((r) => setImmediate(r));
    expect(a.bufferedAmount).toBeGreaterThan(16_384);
    a.close();
    const out = await sending;
    expect(out).toMatchObject({ state: 'failed', error: 'connection closed' });
  });

  it('with a resume window it pauses instead (without spinning), and fails when the window ends', async () => {
    const { sender, a } = wire({ highWater: 16_384, resumeWindowMs: 50 });
    const sending = sender.send('bob', a, source(randomBytes(200_000)));
    for (let i = 0; i < 1000 && a.bufferedAmount <= 16_384; i++) await new Promise((r) => setImmediate(r));
    a.close();
    await new Promise((r) => setTimeout(r, 5)); // timers run: the loop is not spinning
    expect(sender.list()[0]!.state).toBe('paused');
    const out = await sending;
    expect(out).toMatchObject({ state: 'failed', error: 'peer disconnected (not back within 50 ms)' });
  });

  it('an incoming transfer that ends without its file lets go of what it received', async () => {
    const sinks: Array<{ bytes: number; discarded: boolean; finished: boolean }> = [];
    const factory = () => {
      const st = { bytes: 0, discarded: false, finished: false };
      sinks.push(st);
      return {
        append: (c: Uint8Array) => void (st.bytes += c.length),
        finish: () => ((st.finished = true), new Blob([])),
        discard: () => void (st.discarded = true),
      };
    };
    const { sender, receiver, a, run } = wire({ highWater: 4096 }, factory);
    void sender.send('bob', a, source(randomBytes(200_000)));
    await run(() => (receiver.list()[0]?.transferred ?? 0) > 10_000);
    receiver.cancel(receiver.list()[0]!.key, 'no thanks');
    expect(sinks).toHaveLength(1);
    expect(sinks[0]).toMatchObject({ discarded: true, finished: false });
    expect(sinks[0]!.bytes).toBeGreaterThan(10_000);
  });

  it('an empty file arrives verified', async () => {
    const { sender, receiver, a, run } = wire();
    void sender.send('bob', a, source(new Uint8Array()));
    await run(() => sender.list()[0]?.state === 'done');
    expect(receiver.list()[0]).toMatchObject({ state: 'done', verified: true, size: 0 });
  });
});

describe('a long-lived room', () => {
  it('keeps the last FINISHED_MAX finished transfers, not every one, and no received file', async () => {
    const { Transfers, FINISHED_MAX } = await import('../../web/src/core/transfer.js');
    const t = new Transfers();
    const channel = { open: true, bufferedAmount: 0, send() {}, waitForLow: async () => {} };
    let received = 0;
    t.on('received', () => received++);
    for (let id = 1; id <= FINISHED_MAX + 50; id++) {
      t.handleControl('peer-x', channel, { t: 'file-offer', id, name: `f${id}`, size: 0, mime: 'x' });
      t.handleControl('peer-x', channel, { t: 'file-end', id, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    }
    expect(received).toBe(FINISHED_MAX + 50);
    const list = t.list();
    expect(list).toHaveLength(FINISHED_MAX);
    expect(list[0]!.name).toBe('f51');
    expect(list.every((x) => x.state === 'done' && x.verified)).toBe(true);
  });
});
