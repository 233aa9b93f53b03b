export type FrameHandler = (frame: Buffer, channel: boolean) => void;
export declare class StreamFramer {
    private readonly onFrame;
    /** Bytes of an unfinished frame, as they came (joined once, when the frame is complete). */
    private parts;
    private size;
    constructor(onFrame: FrameHandler);
    /** Feed bytes. Returns false when the stream is not STUN/ChannelData (drop the connection). */
    push(chunk: Buffer): boolean;
    /** Bytes waiting for the rest of their frame. */
    get buffered(): number;
    /** Every whole frame in `buf`; the rest is kept (copied: `buf` may be a large chunk). */
    private scan;
}
