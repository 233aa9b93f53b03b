/** Two Transfers (alice sends, bob receives) over a fake data channel, for the transfer tests. */
import { decodeControl } from '../../web/src/core/framing.js';
import { type ChannelLike, type FileSource, Transfers } from '../../web/src/core/transfer.js';

/**
 * Two ends of a fake data channel. Sent messages sit in a buffer (`bufferedAmount`) and are
 * delivered in order on each `pump`; `waitForLow` resolves when the buffer drains below `low`.
 */
export function channelPair(low = 4096) {
  const make = () => {
    const queue: Array<string | Uint8Array> = [];
    let buffered = 0;
    let waiters: Array<() => void> = [];
    let maxBuffered = 0;
    const ch: ChannelLike & { queue: typeof queue; deliver?: (d: string | Uint8Array) => void; pump(n?: number): number; max(): number; close(): void; isOpen: boolean } = {
      isOpen: true,
      queue,
      get open() {
        return ch.isOpen;
      },
      get bufferedAmount() {
        return buffered;
      },
      send(d) {
        if (!ch.isOpen) throw new Error('closed');
        const copy = typeof d === 'string' ? d : d.slice();
        queue.push(copy);
        buffered += typeof d === 'string' ? d.length : d.length;
        maxBuffered = Math.max(maxBuffered, buffered);
      },
      waitForLow() {
        if (buffered <= low || !ch.isOpen) return Promise.resolve();
        return new Promise<void>((r) => waiters.push(r));
      },
      pump(n = Infinity) {
        let k = 0;
        while (queue.length && k < n) {
          const d = queue.shift()!;
          buffered -= typeof d === 'string' ? d.length : d.length;
          ch.deliver?.(d);
          k++;
        }
        if (buffered <= low) {
          const w = waiters;
          waiters = [];
          w.forEach((f) => f());
        }
        return k;
      },
      max: () => maxBuffered,
      /** Closing, as a real channel does: the buffer stays, waiters wake (its 'close' event). */
      close() {
        ch.isOpen = false;
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      },
    };
    return ch;
  };
  return { a: make(), b: make() };
}

export function source(data: Uint8Array, name = 'f.bin'): FileSource {
  return { name, size: data.length, type: 'application/octet-stream', read: async (off, len) => data.slice(off, off + len) };
}

export function wire(opts: { chunkSize?: number; highWater?: number; resumeWindowMs?: number; ackEvery?: number } = {}, sinkFactory?: ConstructorParameters<typeof Transfers>[1]) {
  const o = { chunkSize: 1000, readSize: 8192, highWater: opts.highWater ?? 16_384, ackEvery: 10_000, blobEvery: 50_000, ...opts };
  const sender = new Transfers(o);
  const receiver = new Transfers(o, sinkFactory);
  // a: alice -> bob; b: bob -> alice
  const connect = () => {
    const { a, b } = channelPair(4096);
    a.deliver = (d) => (typeof d === 'string' ? receiver.handleControl('alice', b, decodeControl(d)!) : receiver.handleBinary('alice', d));
    b.deliver = (d) => (typeof d === 'string' ? sender.handleControl('bob', a, decodeControl(d)!) : sender.handleBinary('bob', d));
    return { a, b };
  };
  const cur = connect();
  const run = async (until: () => boolean) => {
    for (let i = 0; i < 100_000 && !until(); i++) {
      cur.a.pump(3);
      cur.b.pump();
      await new Promise((r) => setImmediate(r));
    }
  };
  /**
   * The connection is lost (what was in flight with it) and both sides see it (the room's
   * `suspend`); with `back`, a new one comes up and both sides are told (the room's `resume`).
   */
  const reconnect = (back = true) => {
    for (const ch of [cur.a, cur.b]) {
      ch.queue.length = 0;
      ch.close();
    }
    sender.suspend('bob');
    receiver.suspend('alice');
    if (!back) return;
    Object.assign(cur, connect());
    sender.resume('bob', cur.a);
    receiver.resume('alice', cur.b);
  };
  return {
    sender,
    receiver,
    get a() {
      return cur.a;
    },
    get b() {
      return cur.b;
    },
    run,
    reconnect,
  };
}
