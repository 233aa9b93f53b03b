/**
 * Resumable file transfers (web/src/core/transfer.ts): a transfer whose connection is lost pauses,
 * and on a new connection continues from what the receiver has (`file-resume`), the whole-file
 * SHA-256 still checked; not back within the window, it fails. And the room's wiring: a replaced
 * link pauses the transfer, the new link resumes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeChunk, encodeControl } from '../../web/src/core/framing.js';
import { Transfers } from '../../web/src/core/transfer.js';
import { B, setup, until } from './room-fakes.js';
import { source, wire } from './transfer-fakes.js';

const sha = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

/** What is sent on `ch` from now on: file-chunk payload bytes, and control messages. */
function record(ch: { send(d: string | Uint8Array): void }) {
  const seen = { bytes: 0, controls: [] as Array<Record<string, unknown>> };
  const orig = ch.send.bind(ch);
  ch.send = (d) => {
    if (typeof d === 'string') seen.controls.push(JSON.parse(d) as Record<string, unknown>);
    else seen.bytes += d.length - 5;
    orig(d);
  };
  return seen;
}

describe('a transfer whose connection is lost', () => {
  it('pauses on both sides, then continues from what the receiver has, and verifies', async () => {
    const w = wire({ highWater: 4096, ackEvery: 5000 });
    const data = randomBytes(300_000 + 7);
    let blob: Blob | undefined;
    w.receiver.on('received', (_i, f) => (blob = f));
    const sending = w.sender.send('bob', w.a, source(data));
    await w.run(() => (w.receiver.list()[0]?.transferred ?? 0) > 100_000);
    w.reconnect(false);
    expect(w.sender.list()[0]!.state).toBe('paused');
    expect(w.receiver.list()[0]!.state).toBe('paused');
    const had = w.receiver.list()[0]!.transferred;
    w.reconnect();
    expect(w.b.queue.map((d) => JSON.parse(String(d)))).toEqual([{ t: 'file-resume', id: w.sender.list()[0]!.id, received: had }]);
    const resent = record(w.a);
    await w.run(() => w.sender.list()[0]?.state === 'done');
    await sending;
    expect(resent.bytes).toBe(data.length - had); // nothing the receiver had was sent again
    expect(w.sender.list()[0]).toMatchObject({ state: 'done', verified: true, sha256: sha(data), transferred: data.length });
    expect(w.receiver.list()[0]).toMatchObject({ state: 'done', verified: true, sha256: sha(data) });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(data)).toBe(true);
  });

  it('survives being lost several times, at any point', async () => {
    const w = wire({ highWater: 8192, ackEvery: 3000 });
    const data = randomBytes(200_000);
    void w.sender.send('bob', w.a, source(data));
    for (const at of [1, 30_000, 30_500, 120_000]) {
      await w.run(() => (w.receiver.list()[0]?.transferred ?? 0) >= at);
      w.reconnect();
    }
    await w.run(() => w.sender.list()[0]?.state === 'done');
    expect(w.receiver.list()[0]).toMatchObject({ state: 'done', verified: true, sha256: sha(data) });
  });

  it('not back within the window: fails on both sides', async () => {
    const w = wire({ highWater: 4096, resumeWindowMs: 30 });
    const sending = w.sender.send('bob', w.a, source(randomBytes(100_000)));
    await w.run(() => (w.receiver.list()[0]?.transferred ?? 0) > 10_000);
    w.reconnect(false);
    const out = await sending;
    expect(out).toMatchObject({ state: 'failed', error: 'peer disconnected (not back within 30 ms)' });
    await until('receiver fails', () => w.receiver.list()[0]!.state === 'failed');
    expect(w.receiver.list()[0]!.error).toMatch(/not back within 30 ms/);
  });

  it('lost with the verdict in flight: the receiver says it again on the new connection', async () => {
    const w = wire();
    const data = randomBytes(20_000);
    void w.sender.send('bob', w.a, source(data));
    // Deliver alice -> bob only: bob verifies and answers, and the answer is lost.
    for (let i = 0; i < 1000 && w.receiver.list()[0]?.state !== 'done'; i++) {
      w.a.pump();
      await new Promise((r) => setImmediate(r));
    }
    expect(w.receiver.list()[0]!.state).toBe('done');
    expect(w.sender.list()[0]!.state).toBe('verifying');
    w.reconnect();
    await w.run(() => w.sender.list()[0]?.state === 'done');
    expect(w.sender.list()[0]).toMatchObject({ state: 'done', verified: true });
  });

  it('lost after the last chunk, before file-end: only file-end is sent again', async () => {
    const w = wire({ ackEvery: 1_000_000 });
    const data = randomBytes(10_000);
    void w.sender.send('bob', w.a, source(data));
    for (let i = 0; i < 1000 && (w.receiver.list()[0]?.transferred ?? 0) < data.length; i++) {
      w.a.pump(1);
      await new Promise((r) => setImmediate(r));
    }
    w.reconnect(); // file-end was still queued: lost
    const resent = record(w.a);
    await w.run(() => w.sender.list()[0]?.state === 'done');
    expect(resent.bytes).toBe(0);
    expect(resent.controls.map((c) => c.t)).toEqual(['file-end']);
    expect(w.receiver.list()[0]).toMatchObject({ state: 'done', verified: true });
  });

  it('a sender that no longer knows the transfer (its page reloaded) refuses the resume', () => {
    const t = new Transfers();
    const sent: string[] = [];
    const ch = { open: true, bufferedAmount: 0, send: (d: string | Uint8Array) => void sent.push(String(d)), waitForLow: async () => {} };
    t.handleControl('peer-x', ch, { t: 'file-resume', id: 7, received: 100 });
    expect(sent.map((d) => JSON.parse(d))).toEqual([{ t: 'file-cancel', id: 7, reason: 'no such transfer to resume' }]);
  });
});

describe('in a room', () => {
  it('a replaced connection pauses an incoming file; the new one resumes it and it verifies', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }], room: { iceRestartTimeoutMs: 1000 } });
    s.room.start();
    await until('link', () => s.peers.length === 1);
    s.peers[0]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
    const data = randomBytes(3000);
    const id = 42;
    const first = s.peers[0]!;
    first.emit('data', encodeControl({ t: 'file-offer', id, name: 'x.bin', size: data.length, mime: 'application/octet-stream' }));
    first.emit('data', encodeChunk(id, data.subarray(0, 1200)));
    expect(s.client.transfers[0]).toMatchObject({ state: 'receiving', transferred: 1200 });
    first.fail(); // a connection that fails outright (not restartable here): replaced
    expect(s.client.transfers[0]!.state).toBe('paused');
    await until('replaced', () => s.peers.length === 2);
    const second = s.peers[1]!;
    second.open();
    await until('resume asked', () => second.sentControl().some((m) => m.t === 'file-resume'));
    expect(second.sentControl().find((m) => m.t === 'file-resume')).toEqual({ t: 'file-resume', id, received: 1200 });
    second.emit('data', encodeChunk(id, data.subarray(1200)));
    second.emit('data', encodeControl({ t: 'file-end', id, sha256: sha(data) }));
    expect(s.client.transfers[0]).toMatchObject({ state: 'done', verified: true, sha256: sha(data) });
  });

  it('a peer that leaves fails its paused transfers at once', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    s.room.start();
    await until('link', () => s.peers.length === 1);
    s.peers[0]!.open();
    await until('connected', () => s.room.peers.get(B)!.conn === 'connected');
    s.peers[0]!.emit('data', encodeControl({ t: 'file-offer', id: 5, name: 'x.bin', size: 10, mime: 'x' }));
    s.peers[0]!.fail();
    expect(s.client.transfers[0]!.state).toBe('paused');
    s.socket.fire('peer-left', { id: B });
    expect(s.client.transfers[0]).toMatchObject({ state: 'failed', error: 'peer disconnected' });
  });
});
