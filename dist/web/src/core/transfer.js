/**
 * File transfer over a data channel: chunking with backpressure, progress and rate on both sides,
 * cancel, and an incremental SHA-256 check on arrival. No DOM: the channel, the file source and
 * the chunk sink are small interfaces (a browser RTCDataChannel / Blob in the app, fakes in tests).
 */
import { Emitter } from './emitter.js';
import { CHUNK_HEADER, decodeChunk, encodeChunk, encodeControl, split } from './framing.js';
import { Sha256 } from './sha256.js';
export const DEFAULT_TRANSFER_OPTIONS = {
    chunkSize: 64 * 1024 - CHUNK_HEADER,
    readSize: 1024 * 1024,
    highWater: 4 * 1024 * 1024,
    ackEvery: 512 * 1024,
    blobEvery: 4 * 1024 * 1024,
    now: () => Date.now(),
};
/** Rate over a sliding window of (time, bytes) samples. */
export class RateMeter {
    windowMs;
    samples = [];
    constructor(windowMs = 2000) {
        this.windowMs = windowMs;
    }
    add(t, total) {
        this.samples.push([t, total]);
        while (this.samples.length > 2 && t - this.samples[0][0] > this.windowMs)
            this.samples.shift();
        const [t0, b0] = this.samples[0];
        return t > t0 ? ((total - b0) * 1000) / (t - t0) : 0;
    }
}
/** Collects chunks without holding them on the JS heap: rolls them into Blobs every few MB. */
export class BlobListSink {
    every;
    blobs = [];
    pending = [];
    pendingBytes = 0;
    constructor(every) {
        this.every = every;
    }
    append(chunk) {
        this.pending.push(chunk); // a view into its own message buffer; the Blob copies it out
        this.pendingBytes += chunk.length;
        if (this.pendingBytes >= this.every)
            this.flush();
    }
    finish(mime) {
        this.flush();
        return new Blob(this.blobs, { type: mime });
    }
    discard() {
        this.blobs = [];
        this.pending = [];
        this.pendingBytes = 0;
    }
    flush() {
        if (this.pending.length)
            this.blobs.push(new Blob(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
    }
}
export function blobSource(file) {
    return {
        name: file.name ?? 'file',
        size: file.size,
        type: file.type || 'application/octet-stream',
        read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
    };
}
/** Every transfer of one client, in and out, across peers. */
export class Transfers extends Emitter {
    sinkFactory;
    entries = new Map();
    opts;
    constructor(opts = {}, sinkFactory = (every) => new BlobListSink(every)) {
        super();
        this.sinkFactory = sinkFactory;
        this.opts = { ...DEFAULT_TRANSFER_OPTIONS, ...opts };
    }
    list() {
        return [...this.entries.values()].map((e) => ({ ...e.info }));
    }
    get(key) {
        const e = this.entries.get(key);
        return e && { ...e.info };
    }
    resultOf(key) {
        return this.entries.get(key)?.result;
    }
    /** Send a file to one peer; resolves when every chunk was handed to the channel. */
    async send(peerId, channel, src) {
        const id = Math.floor(Math.random() * 0xffffffff) >>> 0;
        const e = this.add(peerId, channel, 'out', id, src.name, src.size, src.type, 'sending');
        const { info } = e;
        const o = this.opts;
        try {
            channel.send(encodeControl({ t: 'file-offer', id, name: src.name, size: src.size, mime: src.type }));
            let off = 0;
            while (off < src.size) {
                const block = await src.read(off, Math.min(o.readSize, src.size - off));
                if (block.length === 0)
                    throw new Error('file shrank while reading');
                e.hash.update(block);
                for (const piece of split(block, o.chunkSize)) {
                    while (channel.bufferedAmount > o.highWater && this.active(info)) {
                        // A closing channel keeps its buffer and `waitForLow` resolves at once: without this
                        // check the loop would spin without ever yielding (a frozen tab).
                        if (!channel.open)
                            throw new Error('connection closed');
                        await channel.waitForLow();
                    }
                    if (!this.active(info))
                        return { ...info };
                    if (!channel.open)
                        throw new Error('connection closed');
                    channel.send(encodeChunk(id, piece));
                }
                off += block.length;
            }
            info.sha256 = e.hash.hex();
            channel.send(encodeControl({ t: 'file-end', id, sha256: info.sha256 }));
            if (info.state === 'sending')
                this.set(e, { state: 'verifying' });
        }
        catch (err) {
            if (this.active(info))
                this.finish(e, 'failed', err instanceof Error ? err.message : String(err));
        }
        return { ...info };
    }
    /** Cancel a transfer from this side and tell the peer. */
    cancel(key, reason = 'cancelled') {
        const e = this.entries.get(key);
        if (!e || !this.active(e.info))
            return;
        try {
            if (e.channel.open)
                e.channel.send(encodeControl({ t: 'file-cancel', id: e.info.id, reason }));
        }
        catch {
            /* the peer is gone anyway */
        }
        this.finish(e, 'cancelled', reason);
    }
    /** The peer's channel closed: every unfinished transfer with it fails. */
    peerGone(peerId) {
        for (const e of this.entries.values()) {
            if (e.info.peerId === peerId && this.active(e.info))
                this.finish(e, 'failed', 'peer disconnected');
        }
    }
    /** Handle a file-* control message from `peerId`. Returns false for non-file messages. */
    handleControl(peerId, channel, m) {
        switch (m.t) {
            case 'file-offer': {
                const e = this.add(peerId, channel, 'in', m.id, m.name, m.size, m.mime, 'receiving');
                e.sink = this.sinkFactory(this.opts.blobEvery);
                if (m.size === 0)
                    this.set(e, {});
                return true;
            }
            case 'file-end': {
                const e = this.entries.get(key(peerId, 'in', m.id));
                if (!e || !this.active(e.info))
                    return true;
                const mine = e.hash.hex();
                const ok = mine === m.sha256 && e.info.transferred === e.info.size;
                e.info.sha256 = mine;
                e.info.verified = ok;
                try {
                    channel.send(encodeControl({ t: 'file-done', id: m.id, ok, sha256: mine }));
                }
                catch {
                    /* ignore: the result stands on this side */
                }
                e.result = e.sink.finish(e.info.mime);
                e.sink = undefined;
                this.finish(e, ok ? 'done' : 'failed', ok ? undefined : 'SHA-256 mismatch');
                this.emit('received', { ...e.info }, e.result);
                return true;
            }
            case 'file-ack': {
                const e = this.entries.get(key(peerId, 'out', m.id));
                if (e && this.active(e.info))
                    this.progress(e, Math.min(m.received, e.info.size));
                return true;
            }
            case 'file-done': {
                const e = this.entries.get(key(peerId, 'out', m.id));
                if (!e || !this.active(e.info))
                    return true;
                e.info.verified = m.ok && m.sha256 === e.info.sha256;
                e.info.transferred = e.info.verified ? e.info.size : e.info.transferred;
                this.finish(e, e.info.verified ? 'done' : 'failed', e.info.verified ? undefined : 'receiver hash mismatch');
                return true;
            }
            case 'file-cancel': {
                const e = this.entries.get(key(peerId, 'in', m.id)) ?? this.entries.get(key(peerId, 'out', m.id));
                if (e && this.active(e.info))
                    this.finish(e, 'cancelled', `cancelled by peer: ${m.reason}`);
                return true;
            }
            default:
                return false;
        }
    }
    /** Handle a binary message from `peerId`. */
    handleBinary(peerId, data) {
        const c = decodeChunk(data);
        if (!c)
            return;
        const e = this.entries.get(key(peerId, 'in', c.id));
        if (!e || e.info.state !== 'receiving')
            return;
        const received = e.info.transferred + c.payload.length;
        if (received > e.info.size) {
            this.cancel(e.info.key, 'more data than announced');
            return;
        }
        e.hash.update(c.payload);
        e.sink.append(c.payload);
        this.progress(e, received);
        if (received - e.lastAck >= this.opts.ackEvery || received === e.info.size) {
            e.lastAck = received;
            try {
                e.channel.send(encodeControl({ t: 'file-ack', id: c.id, received }));
            }
            catch {
                /* channel closing: peerGone follows */
            }
        }
    }
    add(peerId, channel, direction, id, name, size, mime, state) {
        const k = key(peerId, direction, id);
        const info = { key: k, id, peerId, direction, name, size, mime, transferred: 0, rateBps: 0, state, startedAt: this.opts.now() };
        const e = { info, channel, meter: new RateMeter(), hash: new Sha256(), lastAck: 0 };
        this.entries.set(k, e);
        this.emit('update', { ...info });
        return e;
    }
    progress(e, transferred) {
        e.info.transferred = transferred;
        e.info.rateBps = e.meter.add(this.opts.now(), transferred);
        this.emit('update', { ...e.info });
    }
    set(e, patch) {
        Object.assign(e.info, patch);
        this.emit('update', { ...e.info });
    }
    finish(e, state, error) {
        // An incoming transfer that ends without its file keeps nothing of it (up to its whole size).
        e.sink?.discard();
        e.sink = undefined;
        const patch = { state, finishedAt: this.opts.now() };
        if (error !== undefined)
            patch.error = error;
        this.set(e, patch);
    }
    active(info) {
        return info.state === 'sending' || info.state === 'receiving' || info.state === 'verifying';
    }
}
export function key(peerId, direction, id) {
    return `${peerId}:${direction}:${id}`;
}
//# sourceMappingURL=transfer.js.map