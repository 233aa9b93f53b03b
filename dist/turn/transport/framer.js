/**
 * Splits a TCP/TLS byte stream into STUN messages and ChannelData messages (RFC 8656 section
 * 12.5: over streams, ChannelData is padded to a multiple of 4 bytes; STUN messages are always a
 * multiple of 4). Handles partial and coalesced frames. Anything whose first two bits are neither
 * 00 (STUN) nor 01 (ChannelData) is garbage: `push` returns false and the caller drops the stream.
 */
import { HEADER_LENGTH } from '../stun/constants.js';
export class StreamFramer {
    onFrame;
    /** Bytes of an unfinished frame, as they came (joined once, when the frame is complete). */
    parts = [];
    size = 0;
    constructor(onFrame) {
        this.onFrame = onFrame;
    }
    /** Feed bytes. Returns false when the stream is not STUN/ChannelData (drop the connection). */
    push(chunk) {
        if (this.size === 0)
            return this.scan(chunk);
        this.parts.push(chunk);
        this.size += chunk.length;
        // A frame that arrives in many small pieces is joined once, when it is complete: joining on
        // every piece would copy a 64 KiB frame sent a byte at a time some 2 GB over.
        if (this.size < 4)
            return true;
        if (this.parts[0].length < 4)
            this.parts = [Buffer.concat(this.parts, this.size)];
        const need = frameLength(this.parts[0], 0);
        if (need < 0)
            return false;
        if (this.size < need)
            return true;
        const buf = Buffer.concat(this.parts, this.size);
        this.parts = [];
        this.size = 0;
        return this.scan(buf);
    }
    /** Bytes waiting for the rest of their frame. */
    get buffered() {
        return this.size;
    }
    /** Every whole frame in `buf`; the rest is kept (copied: `buf` may be a large chunk). */
    scan(buf) {
        let pos = 0;
        while (buf.length - pos >= 4) {
            const frameLen = frameLength(buf, pos);
            if (frameLen < 0)
                return false;
            if (buf.length - pos < frameLen)
                break;
            this.onFrame(buf.subarray(pos, pos + frameLen), (buf[pos] & 0xc0) === 0x40);
            pos += frameLen;
        }
        if (pos < buf.length) {
            this.parts = [Buffer.from(buf.subarray(pos))];
            this.size = buf.length - pos;
        }
        return true;
    }
}
/**
 * Length of the frame whose 4-byte header starts at `pos`: ChannelData padded to 4 (section 12.5),
 * or a STUN message (20-byte header plus a body that is a multiple of 4); -1 for anything else.
 */
function frameLength(buf, pos) {
    const b0 = buf[pos];
    const len = buf.readUInt16BE(pos + 2);
    if ((b0 & 0xc0) === 0x40)
        return (4 + len + 3) & ~3;
    if ((b0 & 0xc0) === 0 && len % 4 === 0)
        return HEADER_LENGTH + len;
    return -1;
}
//# sourceMappingURL=framer.js.map