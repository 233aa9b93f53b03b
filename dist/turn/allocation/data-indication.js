/**
 * Hot-path encoders for what the relay sends to a client when a peer's datagram arrives
 * (RFC 8656 section 11.3 Data indication, section 12.6 ChannelData): one Buffer per packet, header
 * written by hand, no attribute objects. Transaction ids of Data indications come from a counter
 * behind a random prefix (indications need unique ids, not unpredictable ones: section 10.3
 * has no answer to spoof), so there is no random-number call per packet.
 */
import { randomBytes } from 'node:crypto';
import { Attr, Class, MAGIC_COOKIE, Method, messageType } from '../stun/constants.js';
import { encodeAddress, ipv4ToInt } from '../stun/address.js';
const DATA_INDICATION = messageType(Method.Data, Class.Indication);
const tidPrefix = randomBytes(8);
let tidCounter = 0;
/**
 * The Data indication carrying `len` bytes from the peer, or null when no STUN message can: its
 * length field is 16 bits (RFC 8489 section 5), and the body carries XOR-PEER-ADDRESS and the
 * padded DATA attribute. A UDP peer cannot send that much, but a TCP client's ChannelData (up to
 * 65,535 bytes) relayed inside the process to an allocation with no channel back can.
 */
export function encodeDataIndication(peerIp, peerPort, data, off, len) {
    const v4 = !peerIp.includes(':');
    const addrLen = v4 ? 8 : 20;
    const pad = (4 - (len & 3)) & 3;
    const bodyLen = 4 + addrLen + 4 + len + pad;
    if (bodyLen > 0xffff)
        return null;
    const out = Buffer.allocUnsafe(20 + bodyLen);
    out.writeUInt16BE(DATA_INDICATION, 0);
    out.writeUInt16BE(bodyLen, 2);
    out.writeUInt32BE(MAGIC_COOKIE, 4);
    tidPrefix.copy(out, 8);
    out.writeUInt32BE((tidCounter = (tidCounter + 1) >>> 0), 16);
    out.writeUInt16BE(Attr.XorPeerAddress, 20);
    out.writeUInt16BE(addrLen, 22);
    if (v4) {
        out.writeUInt16BE(0x0001, 24);
        out.writeUInt16BE(peerPort ^ (MAGIC_COOKIE >>> 16), 26);
        out.writeUInt32BE((ipv4ToInt(peerIp) ^ MAGIC_COOKIE) >>> 0, 28);
    }
    else {
        encodeAddress(peerIp, peerPort, out.subarray(8, 20)).copy(out, 24);
    }
    let p = 24 + addrLen;
    out.writeUInt16BE(Attr.Data, p);
    out.writeUInt16BE(len, p + 2);
    p += 4;
    data.copy(out, p, off, off + len);
    if (pad)
        out.fill(0, p + len);
    return out;
}
//# sourceMappingURL=data-indication.js.map