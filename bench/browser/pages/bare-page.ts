/**
 * The bare RTCDataChannel page of the data-channel benchmark (bundled by pages-server.ts): the
 * browser's own limit. Two pages, one RTCPeerConnection each, signaled by the benchmark (Node
 * passes the complete SDP from one page to the other: non-trickle, gathering finished first).
 * The sender sends the same bytes as Switchboard's file transfer, in the same message size
 * (64 KiB), with the same backpressure (pause above 4 MiB buffered, resume on
 * `bufferedamountlow` at 1 MiB); the receiver only counts bytes (no hashing, no Blobs).
 */
const CHUNK = 64 * 1024;
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

interface BenchWindow {
  BENCH_ICE: RTCIceServer[];
  bare: unknown;
}
const w = window as unknown as BenchWindow;
const relay = new URLSearchParams(location.search).get('relay') === '1';
let pc: RTCPeerConnection | null = null;
let dc: RTCDataChannel | null = null;
let received = 0;
let expected = -1;

function newPc(): RTCPeerConnection {
  pc = new RTCPeerConnection({ iceServers: w.BENCH_ICE, iceTransportPolicy: relay ? 'relay' : 'all' });
  return pc;
}

function gathered(p: RTCPeerConnection): Promise<string> {
  return new Promise((resolve) => {
    const done = () => p.iceGatheringState === 'complete' && resolve(p.localDescription!.sdp);
    p.addEventListener('icegatheringstatechange', done);
    done();
  });
}

function receiver(ch: RTCDataChannel): void {
  ch.binaryType = 'arraybuffer';
  ch.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data === 'string') {
      expected = Number(e.data.slice('start:'.length));
      received = 0;
      return;
    }
    received += e.data.byteLength;
    if (received === expected) ch.send('done');
  };
}

w.bare = {
  get open() {
    return dc?.readyState === 'open';
  },
  async offer(): Promise<string> {
    const p = newPc();
    dc = p.createDataChannel('bench', { ordered: true });
    receiver(dc);
    await p.setLocalDescription(await p.createOffer());
    return gathered(p);
  },
  async answer(sdp: string): Promise<string> {
    const p = newPc();
    p.ondatachannel = (e) => {
      dc = e.channel;
      receiver(dc);
    };
    await p.setRemoteDescription({ type: 'offer', sdp });
    await p.setLocalDescription(await p.createAnswer());
    return gathered(p);
  },
  async accept(sdp: string): Promise<void> {
    await pc!.setRemoteDescription({ type: 'answer', sdp });
  },
  /** Sends `size` random bytes; resolves with the ms from the first send to the receiver's 'done'. */
  async send(size: number): Promise<number> {
    const ch = dc!;
    const bytes = new Uint8Array(size);
    for (let off = 0; off < size; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
    ch.bufferedAmountLowThreshold = LOW_WATER;
    const done = new Promise<number>((resolve) => {
      const prev = ch.onmessage;
      ch.onmessage = (e: MessageEvent) => {
        if (e.data === 'done') {
          ch.onmessage = prev;
          resolve(performance.now());
        }
      };
    });
    const t0 = performance.now();
    ch.send(`start:${size}`);
    for (let off = 0; off < size; off += CHUNK) {
      if (ch.bufferedAmount > HIGH_WATER) await new Promise((r) => ch.addEventListener('bufferedamountlow', r, { once: true }));
      ch.send(bytes.subarray(off, Math.min(size, off + CHUNK)));
    }
    return (await done) - t0;
  },
};
