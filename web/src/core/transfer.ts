/**
 * File transfer over a data channel: chunking with backpressure, progress and rate on both sides,
 * cancel, an incremental SHA-256 check on arrival, and resuming after a lost connection: the
 * receiver keeps what it has, and when a connection to the sender is back it says how much
 * (`file-resume`); the sender continues from there. With an ICE restart in place the channel
 * never closes and a transfer never pauses. No DOM: the channel, the file source and
 * the chunk sink are small interfaces (a browser RTCDataChannel / Blob in the app, fakes in tests).
 */
import { Emitter } from './emitter.js';
import { CHUNK_HEADER, type ControlMessage, decodeChunk, encodeChunk, encodeControl, split } from './framing.js';
import { BlobListSink, type ChunkSink, type FileSource, RateMeter } from './file-io.js';
import { Sha256 } from './sha256.js';

import { DEFAULT_TRANSFER_OPTIONS, FINISHED_MAX, type ChannelLike, type TransferInfo, type TransferOptions, type TransferState } from './transfer-types.js';

export { BlobListSink, blobSource, type ChunkSink, type FileSource, RateMeter } from './file-io.js';
export * from './transfer-types.js';

interface Entry {
  info: TransferInfo;
  channel: ChannelLike;
  meter: RateMeter;
  hash: Sha256;
  sink?: ChunkSink;
  lastAck: number;
  expectedHash?: string;
  /** Sender: the file, for sending again from where the receiver is after a resume. */
  src?: FileSource;
  /** Sender: bytes of the file hashed so far (a resume sends bytes again, they are hashed once). */
  hashed: number;
  /** Sender: the run of the send loop that may send (a resume starts another, the old one stops). */
  run: number;
  /** Paused: ends the resume window. */
  resumeTimer: ReturnType<typeof setTimeout> | null;
}

export interface TransferEvents {
  update: [TransferInfo];
  /** A received file, verified or not. */
  received: [TransferInfo, Blob];
  [k: string]: unknown[];
}

/** Every transfer of one client, in and out, across peers. */
export class Transfers extends Emitter<TransferEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: TransferOptions;

  constructor(
    opts: Partial<TransferOptions> = {},
    private readonly sinkFactory: (every: number) => ChunkSink = (every) => new BlobListSink(every),
  ) {
    super();
    this.opts = { ...DEFAULT_TRANSFER_OPTIONS, ...opts };
  }

  list(): TransferInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e.info }));
  }

  get(key: string): TransferInfo | undefined {
    const e = this.entries.get(key);
    return e && { ...e.info };
  }

  /**
   * Send a file to one peer; resolves when every chunk was handed to a channel (after resumes,
   * if the connection was lost meanwhile), or the transfer ended without that.
   */
  async send(peerId: string, channel: ChannelLike, src: FileSource): Promise<TransferInfo> {
    const id = Math.floor(Math.random() * 0xffffffff) >>> 0;
    const e = this.add(peerId, channel, 'out', id, src.name, src.size, src.type, 'sending');
    e.src = src;
    try {
      channel.send(encodeControl({ t: 'file-offer', id, name: src.name, size: src.size, mime: src.type }));
    } catch (err) {
      this.finish(e, 'failed', err instanceof Error ? err.message : String(err));
      return { ...e.info };
    }
    await this.pump(e, 0);
    // Paused: the promise follows the transfer to its end or to its last chunk handed over.
    while (e.info.state === 'paused') await new Promise<void>((r) => this.once(e, r));
    return { ...e.info };
  }

  /**
   * One run of the send loop, from byte `from` on the entry's channel. A closed channel pauses
   * the transfer (see `suspend`); a resume starts a new run and this one stops.
   */
  private async pump(e: Entry, from: number): Promise<void> {
    const run = ++e.run;
    const { info } = e;
    const src = e.src!;
    const o = this.opts;
    const channel = e.channel;
    const mine = () => e.run === run && this.active(info) && info.state !== 'paused';
    try {
      let off = from;
      while (off < src.size) {
        const block = await src.read(off, Math.min(o.readSize, src.size - off));
        if (block.length === 0) throw new Error('file shrank while reading');
        if (!mine()) return;
        if (off + block.length > e.hashed) {
          e.hash.update(block.subarray(Math.max(0, e.hashed - off)));
          e.hashed = off + block.length;
        }
        for (const piece of split(block, o.chunkSize)) {
          while (channel.bufferedAmount > o.highWater && mine()) {
            // A closing channel keeps its buffer and `waitForLow` resolves at once: without this
            // check the loop would spin without ever yielding (a frozen tab).
            if (!channel.open) return this.lost(e);
            await channel.waitForLow();
          }
          if (!mine()) return;
          if (!channel.open) return this.lost(e);
          channel.send(encodeChunk(info.id, piece));
        }
        off += block.length;
      }
      info.sha256 ??= e.hash.hex(); // once: a resume after the last byte sends file-end again
      channel.send(encodeControl({ t: 'file-end', id: info.id, sha256: info.sha256 }));
      if (info.state === 'sending') this.set(e, { state: 'verifying' });
      this.wake(e);
    } catch (err) {
      if (!mine()) return;
      if (!channel.open) return this.lost(e);
      this.finish(e, 'failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** Cancel a transfer from this side and tell the peer. */
  cancel(key: string, reason = 'cancelled'): void {
    const e = this.entries.get(key);
    if (!e || !this.active(e.info)) return;
    try {
      if (e.channel.open) e.channel.send(encodeControl({ t: 'file-cancel', id: e.info.id, reason }));
    } catch {
      /* the peer is gone anyway */
    }
    this.finish(e, 'cancelled', reason);
  }

  /** The peer left (or this side did): every unfinished transfer with it fails. */
  peerGone(peerId: string): void {
    for (const e of this.entries.values()) {
      if (e.info.peerId === peerId && this.active(e.info)) this.finish(e, 'failed', 'peer disconnected');
    }
  }

  /**
   * The connection to `peerId` was lost, the peer may be back soon (a replaced connection, a page
   * offline for a moment): its unfinished transfers pause for the resume window.
   */
  suspend(peerId: string): void {
    for (const e of this.entries.values()) if (e.info.peerId === peerId) this.lost(e);
  }

  /**
   * A connection to `peerId` is up (a new one): the incoming transfers it paused ask the sender to
   * continue from what arrived (`file-resume`); the ones that ended lately say so again, in case
   * the verdict was lost with the old connection.
   */
  resume(peerId: string, channel: ChannelLike): void {
    const recent = this.opts.now() - this.opts.resumeWindowMs;
    for (const e of this.entries.values()) {
      if (e.info.peerId !== peerId || e.info.direction !== 'in') continue;
      try {
        if (e.info.state === 'paused') {
          e.channel = channel;
          e.lastAck = e.info.transferred;
          this.set(e, { state: 'receiving' });
          this.clearPause(e);
          channel.send(encodeControl({ t: 'file-resume', id: e.info.id, received: e.info.transferred }));
        } else if (e.info.verified !== undefined && (e.info.finishedAt ?? 0) >= recent) {
          channel.send(encodeControl({ t: 'file-done', id: e.info.id, ok: e.info.verified, sha256: e.info.sha256! }));
        }
      } catch {
        /* closed again at once: the next connection tries again */
      }
    }
  }

  /** Handle a file-* control message from `peerId`. Returns false for non-file messages. */
  handleControl(peerId: string, channel: ChannelLike, m: ControlMessage): boolean {
    switch (m.t) {
      case 'file-offer': {
        const e = this.add(peerId, channel, 'in', m.id, m.name, m.size, m.mime, 'receiving');
        e.sink = this.sinkFactory(this.opts.blobEvery);
        if (m.size === 0) this.set(e, {});
        return true;
      }
      case 'file-resume': {
        const e = this.entries.get(key(peerId, 'out', m.id));
        if (!e || !this.active(e.info) || m.received > e.info.size) {
          try {
            channel.send(encodeControl({ t: 'file-cancel', id: m.id, reason: 'no such transfer to resume' }));
          } catch {
            /* the receiver's window ends it then */
          }
          if (e && this.active(e.info)) this.finish(e, 'failed', 'the receiver asked to resume past the end');
          return true;
        }
        e.channel = channel;
        e.lastAck = m.received;
        this.clearPause(e);
        this.set(e, { state: 'sending' });
        this.progress(e, m.received);
        void this.pump(e, m.received);
        return true;
      }
      case 'file-end': {
        const e = this.entries.get(key(peerId, 'in', m.id));
        if (!e || !this.active(e.info)) return true;
        const mine = e.hash.hex();
        const ok = mine === m.sha256 && e.info.transferred === e.info.size;
        e.info.sha256 = mine;
        e.info.verified = ok;
        try {
          channel.send(encodeControl({ t: 'file-done', id: m.id, ok, sha256: mine }));
        } catch {
          /* ignore: the result stands on this side (and is said again on the next connection) */
        }
        const file = e.sink!.finish(e.info.mime);
        e.sink = undefined as never;
        this.finish(e, ok ? 'done' : 'failed', ok ? undefined : 'SHA-256 mismatch');
        // The file goes to the listeners; this list keeps only its record (a long-lived room
        // would otherwise hold every file it ever received).
        this.emit('received', { ...e.info }, file);
        return true;
      }
      case 'file-ack': {
        const e = this.entries.get(key(peerId, 'out', m.id));
        if (e && this.active(e.info)) this.progress(e, Math.min(m.received, e.info.size));
        return true;
      }
      case 'file-done': {
        const e = this.entries.get(key(peerId, 'out', m.id));
        if (!e || !this.active(e.info)) return true;
        e.info.verified = m.ok && m.sha256 === e.info.sha256;
        e.info.transferred = e.info.verified ? e.info.size : e.info.transferred;
        this.finish(e, e.info.verified ? 'done' : 'failed', e.info.verified ? undefined : 'receiver hash mismatch');
        return true;
      }
      case 'file-cancel': {
        const e = this.entries.get(key(peerId, 'in', m.id)) ?? this.entries.get(key(peerId, 'out', m.id));
        if (e && this.active(e.info)) this.finish(e, 'cancelled', `cancelled by peer: ${m.reason}`);
        return true;
      }
      default:
        return false;
    }
  }

  /** Handle a binary message from `peerId`. */
  handleBinary(peerId: string, data: Uint8Array): void {
    const c = decodeChunk(data);
    if (!c) return;
    const e = this.entries.get(key(peerId, 'in', c.id));
    if (!e || e.info.state !== 'receiving') return;
    const received = e.info.transferred + c.payload.length;
    if (received > e.info.size) {
      this.cancel(e.info.key, 'more data than announced');
      return;
    }
    e.hash.update(c.payload);
    e.sink!.append(c.payload);
    this.progress(e, received);
    if (received - e.lastAck >= this.opts.ackEvery || received === e.info.size) {
      e.lastAck = received;
      try {
        e.channel.send(encodeControl({ t: 'file-ack', id: c.id, received }));
      } catch {
        /* channel closing: the transfer pauses */
      }
    }
  }

  /** Every resume window timer stopped (the room was left: its transfers failed already). */
  stop(): void {
    for (const e of this.entries.values()) this.clearPause(e);
  }

  /** The entry's connection is gone: paused for the window (or failed, without one). */
  private lost(e: Entry): void {
    if (!this.active(e.info) || e.info.state === 'paused') return;
    if (this.opts.resumeWindowMs <= 0) return this.finish(e, 'failed', 'connection closed');
    e.run++; // the send loop of the old channel stops
    e.resumeTimer = setTimeout(() => {
      e.resumeTimer = null;
      if (e.info.state === 'paused') this.finish(e, 'failed', `peer disconnected (not back within ${this.opts.resumeWindowMs} ms)`);
    }, this.opts.resumeWindowMs);
    this.set(e, { state: 'paused', rateBps: 0 });
    this.wake(e);
  }

  private clearPause(e: Entry): void {
    if (e.resumeTimer) clearTimeout(e.resumeTimer);
    e.resumeTimer = null;
  }

  private readonly waiters = new Map<Entry, Array<() => void>>();
  private once(e: Entry, fn: () => void): void {
    this.waiters.set(e, [...(this.waiters.get(e) ?? []), fn]);
  }
  /** The entry moved on (all handed over, paused, resumed, ended): `send()` looks again. */
  private wake(e: Entry): void {
    const w = this.waiters.get(e);
    this.waiters.delete(e);
    for (const fn of w ?? []) fn();
  }

  private add(peerId: string, channel: ChannelLike, direction: 'in' | 'out', id: number, name: string, size: number, mime: string, state: TransferState): Entry {
    const k = key(peerId, direction, id);
    const info: TransferInfo = { key: k, id, peerId, direction, name, size, mime, transferred: 0, rateBps: 0, state, startedAt: this.opts.now() };
    const e: Entry = { info, channel, meter: new RateMeter(), hash: new Sha256(), lastAck: 0, hashed: 0, run: 0, resumeTimer: null };
    this.entries.set(k, e);
    this.emit('update', { ...info });
    return e;
  }

  private progress(e: Entry, transferred: number): void {
    e.info.transferred = transferred;
    e.info.rateBps = e.meter.add(this.opts.now(), transferred);
    this.emit('update', { ...e.info });
  }

  private set(e: Entry, patch: Partial<TransferInfo>): void {
    Object.assign(e.info, patch);
    this.emit('update', { ...e.info });
  }

  private finish(e: Entry, state: TransferState, error?: string): void {
    // An incoming transfer that ends without its file keeps nothing of it (up to its whole size).
    e.sink?.discard();
    e.sink = undefined;
    e.src = undefined;
    e.run++;
    this.clearPause(e);
    const patch: Partial<TransferInfo> = { state, finishedAt: this.opts.now() };
    if (error !== undefined) patch.error = error;
    this.set(e, patch);
    this.wake(e);
    this.forgetOldest();
  }

  /** Finished transfers kept (the newest FINISHED_MAX), so the list stays bounded. */
  private forgetOldest(): void {
    let finished = 0;
    for (const x of this.entries.values()) if (!this.active(x.info)) finished++;
    for (const [k, x] of this.entries) {
      if (finished <= FINISHED_MAX) break;
      if (this.active(x.info)) continue;
      this.entries.delete(k);
      finished--;
    }
  }

  private active(info: TransferInfo): boolean {
    return info.state === 'sending' || info.state === 'receiving' || info.state === 'verifying' || info.state === 'paused';
  }
}

export function key(peerId: string, direction: 'in' | 'out', id: number): string {
  return `${peerId}:${direction}:${id}`;
}
