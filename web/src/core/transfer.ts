/**
 * File transfer over a data channel: chunking with backpressure, progress and rate on both sides,
 * cancel, and an incremental SHA-256 check on arrival. No DOM: the channel, the file source and
 * the chunk sink are small interfaces (a browser RTCDataChannel / Blob in the app, fakes in tests).
 */
import { Emitter } from './emitter.js';
import { CHUNK_HEADER, type ControlMessage, decodeChunk, encodeChunk, encodeControl, split } from './framing.js';
import { Sha256 } from './sha256.js';

export interface ChannelLike {
  readonly open: boolean;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  /** Resolves once bufferedAmount has dropped to the channel's low threshold, or it closed. */
  waitForLow(): Promise<void>;
}

export interface FileSource {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ChunkSink {
  append(chunk: Uint8Array): void;
  /** The received file (a Blob in the browser). */
  finish(mime: string): Blob;
  /** The transfer ended without a file (failed, cancelled): let go of what was received. */
  discard(): void;
}

/**
 * Where a transfer stands: `sending` / `receiving` (bytes flowing), `verifying` (the sender sent
 * everything and waits for the receiver's SHA-256 verdict), `done` (verified), `failed` (lost
 * connection, hash mismatch, a refusal), `cancelled` (by either side).
 */
export type TransferState = 'sending' | 'receiving' | 'verifying' | 'done' | 'failed' | 'cancelled';

/** A file being sent or received, as a snapshot. */
export interface FileTransfer {
  /** Identifies the transfer in this room (`Room.cancelTransfer(key)`). */
  key: string;
  /** The transfer's id on the data channel (chosen by the sender). */
  id: number;
  /** The other side. */
  peerId: string;
  /** `out`: this side sends; `in`: this side receives. */
  direction: 'out' | 'in';
  /** The file's name, as the sender gave it. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** MIME type (`application/octet-stream` when unknown). */
  mime: string;
  /** Sender: bytes the receiver confirmed. Receiver: bytes received. */
  transferred: number;
  /** Bytes per second over the last ~2 seconds. */
  rateBps: number;
  state: TransferState;
  /** Hex SHA-256: the sender's hash of what it sent, or the receiver's hash of what arrived. */
  sha256?: string;
  /** Receiver: true when its hash matched the sender's. Sender: the receiver's verdict. */
  verified?: boolean;
  /** Why it failed or was cancelled. */
  error?: string;
  /** When it started, ms since the epoch. */
  startedAt: number;
  /** When it ended, ms since the epoch. */
  finishedAt?: number;
}

/** The name the transfer code uses. */
export type TransferInfo = FileTransfer;

export interface TransferOptions {
  /** Payload bytes per data-channel message (plus a 5-byte header). */
  chunkSize: number;
  /** Bytes read from the file at a time. */
  readSize: number;
  /** Pause sending while the channel buffers more than this. */
  highWater: number;
  /** Receiver acknowledges progress every this many bytes. */
  ackEvery: number;
  /** Receiver rolls buffered chunks into a Blob every this many bytes. */
  blobEvery: number;
  now: () => number;
}

/** Finished transfers a room keeps in its list (older ones are forgotten). */
export const FINISHED_MAX = 200;

export const DEFAULT_TRANSFER_OPTIONS: TransferOptions = {
  chunkSize: 64 * 1024 - CHUNK_HEADER,
  readSize: 1024 * 1024,
  highWater: 4 * 1024 * 1024,
  ackEvery: 512 * 1024,
  blobEvery: 4 * 1024 * 1024,
  now: () => Date.now(),
};

/** Rate over a sliding window of (time, bytes) samples. */
export class RateMeter {
  private samples: Array<[number, number]> = [];
  constructor(private readonly windowMs = 2000) {}
  add(t: number, total: number): number {
    this.samples.push([t, total]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > this.windowMs) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    return t > t0 ? ((total - b0) * 1000) / (t - t0) : 0;
  }
}

/** Collects chunks without holding them on the JS heap: rolls them into Blobs every few MB. */
export class BlobListSink implements ChunkSink {
  private blobs: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  constructor(private readonly every: number) {}
  append(chunk: Uint8Array): void {
    this.pending.push(chunk); // a view into its own message buffer; the Blob copies it out
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.every) this.flush();
  }
  finish(mime: string): Blob {
    this.flush();
    return new Blob(this.blobs, { type: mime });
  }
  discard(): void {
    this.blobs = [];
    this.pending = [];
    this.pendingBytes = 0;
  }
  private flush(): void {
    if (this.pending.length) this.blobs.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

export function blobSource(file: Blob & { name?: string }): FileSource {
  return {
    name: file.name ?? 'file',
    size: file.size,
    type: file.type || 'application/octet-stream',
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

interface Entry {
  info: TransferInfo;
  channel: ChannelLike;
  meter: RateMeter;
  hash: Sha256;
  sink?: ChunkSink;
  lastAck: number;
  expectedHash?: string;
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

  /** Send a file to one peer; resolves when every chunk was handed to the channel. */
  async send(peerId: string, channel: ChannelLike, src: FileSource): Promise<TransferInfo> {
    const id = Math.floor(Math.random() * 0xffffffff) >>> 0;
    const e = this.add(peerId, channel, 'out', id, src.name, src.size, src.type, 'sending');
    const { info } = e;
    const o = this.opts;
    try {
      channel.send(encodeControl({ t: 'file-offer', id, name: src.name, size: src.size, mime: src.type }));
      let off = 0;
      while (off < src.size) {
        const block = await src.read(off, Math.min(o.readSize, src.size - off));
        if (block.length === 0) throw new Error('file shrank while reading');
        e.hash.update(block);
        for (const piece of split(block, o.chunkSize)) {
          while (channel.bufferedAmount > o.highWater && this.active(info)) {
            // A closing channel keeps its buffer and `waitForLow` resolves at once: without this
            // check the loop would spin without ever yielding (a frozen tab).
            if (!channel.open) throw new Error('connection closed');
            await channel.waitForLow();
          }
          if (!this.active(info)) return { ...info };
          if (!channel.open) throw new Error('connection closed');
          channel.send(encodeChunk(id, piece));
        }
        off += block.length;
      }
      info.sha256 = e.hash.hex();
      channel.send(encodeControl({ t: 'file-end', id, sha256: info.sha256 }));
      if (info.state === 'sending') this.set(e, { state: 'verifying' });
    } catch (err) {
      if (this.active(info)) this.finish(e, 'failed', err instanceof Error ? err.message : String(err));
    }
    return { ...info };
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

  /** The peer's channel closed: every unfinished transfer with it fails. */
  peerGone(peerId: string): void {
    for (const e of this.entries.values()) {
      if (e.info.peerId === peerId && this.active(e.info)) this.finish(e, 'failed', 'peer disconnected');
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
          /* ignore: the result stands on this side */
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
        /* channel closing: peerGone follows */
      }
    }
  }

  private add(peerId: string, channel: ChannelLike, direction: 'in' | 'out', id: number, name: string, size: number, mime: string, state: TransferState): Entry {
    const k = key(peerId, direction, id);
    const info: TransferInfo = { key: k, id, peerId, direction, name, size, mime, transferred: 0, rateBps: 0, state, startedAt: this.opts.now() };
    const e: Entry = { info, channel, meter: new RateMeter(), hash: new Sha256(), lastAck: 0 };
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
    const patch: Partial<TransferInfo> = { state, finishedAt: this.opts.now() };
    if (error !== undefined) patch.error = error;
    this.set(e, patch);
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
    return info.state === 'sending' || info.state === 'receiving' || info.state === 'verifying';
  }
}

export function key(peerId: string, direction: 'in' | 'out', id: number): string {
  return `${peerId}:${direction}:${id}`;
}
