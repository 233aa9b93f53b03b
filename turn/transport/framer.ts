/**
 * Splits a TCP/TLS byte stream into STUN messages and ChannelData messages (RFC 8656 section
 * 12.5: over streams, ChannelData is padded to a multiple of 4 bytes; STUN messages are always a
 * multiple of 4). Handles partial and coalesced frames. Anything whose first two bits are neither
 * 00 (STUN) nor 01 (ChannelData) is garbage: `push` returns false and the caller drops the stream.
 */
import { HEADER_LENGTH } from '../stun/constants.js';

export type FrameHandler = (frame: Buffer, channel: boolean) => void;

export class StreamFramer {
  private pending: Buffer | null = null;

  constructor(private readonly onFrame: FrameHandler) {}

  /** Feed bytes. Returns false when the stream is not STUN/ChannelData (drop the connection). */
  push(chunk: Buffer): boolean {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let pos = 0;
    while (buf.length - pos >= 4) {
      const b0 = buf[pos]!;
      const len = buf.readUInt16BE(pos + 2);
      let frameLen: number;
      const channel = (b0 & 0xc0) === 0x40;
      if (channel) frameLen = (4 + len + 3) & ~3;
      else if ((b0 & 0xc0) === 0 && len % 4 === 0) frameLen = HEADER_LENGTH + len;
      else return false;
      if (buf.length - pos < frameLen) break;
      this.onFrame(buf.subarray(pos, pos + frameLen), channel);
      pos += frameLen;
    }
    if (pos < buf.length) this.pending = pos === 0 ? buf : buf.subarray(pos);
    buf = undefined as unknown as Buffer;
    return true;
  }

  /** Bytes waiting for the rest of their frame. */
  get buffered(): number {
    return this.pending ? this.pending.length : 0;
  }
}
