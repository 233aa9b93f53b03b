import { describe, expect, it } from 'vitest';
import { type ControlMessage, decodeChunk, decodeControl, encodeChunk, encodeControl, split } from '../../web/src/core/framing.js';

describe('data-channel framing', () => {
  it('round-trips every control message', () => {
    const h = 'ab'.repeat(32);
    const msgs: ControlMessage[] = [
      { t: 'hello', name: 'Ada' },
      { t: 'chat', id: 'x-1', text: 'hi there', ts: 1 },
      { t: 'media', inCall: true, audio: false, video: true },
      { t: 'restart' },
      { t: 'screen', mid: '3' },
      { t: 'screen', mid: null },
      { t: 'file-offer', id: 7, name: 'a.bin', size: 100, mime: 'application/octet-stream' },
      { t: 'file-end', id: 7, sha256: h },
      { t: 'file-ack', id: 7, received: 50 },
      { t: 'file-done', id: 7, ok: true, sha256: h },
      { t: 'file-cancel', id: 7, reason: 'cancelled' },
    ];
    for (const m of msgs) expect(decodeControl(encodeControl(m))).toEqual(m);
  });

  it('rejects malformed or hostile control messages', () => {
    for (const s of ['', 'null', '[]', '42', '{"t":"nope"}', '{"t":"chat","id":"a","text":5,"ts":1}', '{"t":"file-offer","id":-1,"name":"a","size":1,"mime":""}', '{"t":"file-end","id":1,"sha256":"xyz"}', '{"t":"hello","name":"' + 'x'.repeat(65) + '"}', '{"t":"file-offer","id":1,"name":"a","size":1.5,"mime":""}', '{"t":"screen"}', '{"t":"screen","mid":""}', '{"t":"screen","mid":3}', '{"t":"screen","mid":"a b"}', '{"t":"screen","mid":"' + '1'.repeat(33) + '"}']) {
      expect(decodeControl(s), s).toBeNull();
    }
  });

  it('frames binary chunks with a transfer id', () => {
    const payload = new Uint8Array([1, 2, 3, 250]);
    const framed = encodeChunk(0xdeadbeef, payload);
    expect(framed.length).toBe(payload.length + 5);
    const d = decodeChunk(framed)!;
    expect(d.id).toBe(0xdeadbeef);
    expect([...d.payload]).toEqual([...payload]);
    // A view into a larger buffer (simple-peer hands out Buffers that share memory).
    const big = new Uint8Array(100);
    big.set(framed, 10);
    expect(decodeChunk(big.subarray(10, 10 + framed.length))!.id).toBe(0xdeadbeef);
    expect(decodeChunk(new Uint8Array([0x00, 0, 0, 0, 1]))).toBeNull();
    expect(decodeChunk(new Uint8Array([0xf1, 0]))).toBeNull();
  });

  it('splits into pieces that reassemble to the input', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const parts = [...split(data, 300)];
    expect(parts.map((p) => p.length)).toEqual([300, 300, 300, 100]);
    expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
    expect([...split(new Uint8Array(), 10)]).toEqual([]);
  });
});
