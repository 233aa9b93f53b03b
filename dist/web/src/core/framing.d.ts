/**
 * What travels on a peer's data channel. Text messages are JSON control messages; binary
 * messages are file chunks: [0xF1][transfer id: u32 BE][payload]. One channel carries chat and any
 * number of concurrent transfers.
 */
export declare const CHUNK_MAGIC = 241;
export declare const CHUNK_HEADER = 5;
export type ControlMessage = {
    t: 'hello';
    name: string;
} | {
    t: 'chat';
    id: string;
    text: string;
    ts: number;
}
/** Call state, so tiles can say "muted" / "camera off". */
 | {
    t: 'media';
    inCall: boolean;
    audio: boolean;
    video: boolean;
}
/** Non-initiator -> initiator: please replace this connection (e.g. relay-only was switched). */
 | {
    t: 'restart';
} | {
    t: 'file-offer';
    id: number;
    name: string;
    size: number;
    mime: string;
}
/** Sender: every byte was sent; the receiver compares its own hash against this. */
 | {
    t: 'file-end';
    id: number;
    sha256: string;
}
/** Receiver: bytes received so far (the sender's progress bar follows this). */
 | {
    t: 'file-ack';
    id: number;
    received: number;
}
/** Receiver: the file is complete; ok when the hashes matched. */
 | {
    t: 'file-done';
    id: number;
    ok: boolean;
    sha256: string;
} | {
    t: 'file-cancel';
    id: number;
    reason: string;
};
export declare function encodeControl(m: ControlMessage): string;
/** Parse and validate a control message from a peer; null for anything malformed. */
export declare function decodeControl(text: string): ControlMessage | null;
export declare function encodeChunk(id: number, payload: Uint8Array): Uint8Array;
export declare function decodeChunk(buf: Uint8Array): {
    id: number;
    payload: Uint8Array;
} | null;
/** Split `data` into pieces of at most `size` bytes (views, no copies). */
export declare function split(data: Uint8Array, size: number): Generator<Uint8Array>;
