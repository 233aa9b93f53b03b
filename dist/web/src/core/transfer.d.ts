/**
 * File transfer over a data channel: chunking with backpressure, progress and rate on both sides,
 * cancel, and an incremental SHA-256 check on arrival. No DOM: the channel, the file source and
 * the chunk sink are small interfaces (a browser RTCDataChannel / Blob in the app, fakes in tests).
 */
import { Emitter } from './emitter.js';
import { type ControlMessage } from './framing.js';
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
export type TransferState = 'sending' | 'receiving' | 'verifying' | 'done' | 'failed' | 'cancelled';
export interface TransferInfo {
    key: string;
    id: number;
    peerId: string;
    direction: 'out' | 'in';
    name: string;
    size: number;
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
    error?: string;
    startedAt: number;
    finishedAt?: number;
}
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
export declare const DEFAULT_TRANSFER_OPTIONS: TransferOptions;
/** Rate over a sliding window of (time, bytes) samples. */
export declare class RateMeter {
    private readonly windowMs;
    private samples;
    constructor(windowMs?: number);
    add(t: number, total: number): number;
}
/** Collects chunks without holding them on the JS heap: rolls them into Blobs every few MB. */
export declare class BlobListSink implements ChunkSink {
    private readonly every;
    private blobs;
    private pending;
    private pendingBytes;
    constructor(every: number);
    append(chunk: Uint8Array): void;
    finish(mime: string): Blob;
    discard(): void;
    private flush;
}
export declare function blobSource(file: Blob & {
    name?: string;
}): FileSource;
export interface TransferEvents {
    update: [TransferInfo];
    /** A received file, verified or not. */
    received: [TransferInfo, Blob];
    [k: string]: unknown[];
}
/** Every transfer of one client, in and out, across peers. */
export declare class Transfers extends Emitter<TransferEvents> {
    private readonly sinkFactory;
    private readonly entries;
    private readonly opts;
    constructor(opts?: Partial<TransferOptions>, sinkFactory?: (every: number) => ChunkSink);
    list(): TransferInfo[];
    get(key: string): TransferInfo | undefined;
    resultOf(key: string): Blob | undefined;
    /** Send a file to one peer; resolves when every chunk was handed to the channel. */
    send(peerId: string, channel: ChannelLike, src: FileSource): Promise<TransferInfo>;
    /** Cancel a transfer from this side and tell the peer. */
    cancel(key: string, reason?: string): void;
    /** The peer's channel closed: every unfinished transfer with it fails. */
    peerGone(peerId: string): void;
    /** Handle a file-* control message from `peerId`. Returns false for non-file messages. */
    handleControl(peerId: string, channel: ChannelLike, m: ControlMessage): boolean;
    /** Handle a binary message from `peerId`. */
    handleBinary(peerId: string, data: Uint8Array): void;
    private add;
    private progress;
    private set;
    private finish;
    private active;
}
export declare function key(peerId: string, direction: 'in' | 'out', id: number): string;
