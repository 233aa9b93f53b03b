/**
 * ChannelData messages (RFC 8656 section 12.4): 2-byte channel number, 2-byte length, data.
 * Over stream transports the message is padded to a multiple of 4 (section 12.5); over UDP the
 * padding is optional and ignored.
 */
import { CHANNEL_MAX, CHANNEL_MIN } from './constants.js';
/** True when the first byte is in the channel range (0x40..0x7F: top bits 01). */
export function looksLikeChannelData(buf) {
    return buf.length >= 4 && (buf[0] & 0xc0) === 0x40;
}
export function isValidChannel(n) {
    return n >= CHANNEL_MIN && n <= CHANNEL_MAX;
}
/** Encode a ChannelData message; `pad` rounds the total up to a multiple of 4 (streams). */
export function encodeChannelData(channel, data, pad) {
    return encodeChannelDataFrom(channel, data, 0, data.length, pad);
}
/** The same from a slice of `data` (hot path: no intermediate view). */
export function encodeChannelDataFrom(channel, data, off, len, pad) {
    const total = 4 + len;
    const out = Buffer.allocUnsafe(pad ? (total + 3) & ~3 : total);
    out.writeUInt16BE(channel, 0);
    out.writeUInt16BE(len, 2);
    data.copy(out, 4, off, off + len);
    if (pad && out.length > total)
        out.fill(0, total);
    return out;
}
//# sourceMappingURL=channel-data.js.map