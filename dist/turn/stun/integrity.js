/**
 * MESSAGE-INTEGRITY (HMAC-SHA1), MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
 * (RFC 8489 sections 14.5, 14.6, 14.7), and the long-term key (section 9.2.2).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Attr, FINGERPRINT_XOR, HEADER_LENGTH } from './constants.js';
/** RFC 8489 section 9.2.2: key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)). */
export function longTermKey(username, realm, password) {
    return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}
/**
 * HMAC over the message up to (not including) the attribute that starts at `attrStart`, with the
 * header length field set as if that attribute (of `valueLength` bytes) were the last one.
 */
function hmacUpTo(alg, buf, attrStart, valueLength, key) {
    const header = Buffer.allocUnsafe(HEADER_LENGTH);
    buf.copy(header, 0, 0, HEADER_LENGTH);
    header.writeUInt16BE(attrStart - HEADER_LENGTH + 4 + valueLength, 2);
    return createHmac(alg, key).update(header).update(buf.subarray(HEADER_LENGTH, attrStart)).digest();
}
/** Compute a MESSAGE-INTEGRITY value for a message whose integrity attribute starts at attrStart. */
export function computeIntegrity(buf, attrStart, key, sha256 = false) {
    return hmacUpTo(sha256 ? 'sha256' : 'sha1', buf, attrStart, sha256 ? 32 : 20, key);
}
function verify(msg, a, key, sha256) {
    const expected = hmacUpTo(sha256 ? 'sha256' : 'sha1', msg.buf, a.offset - 4, a.length, key);
    // RFC 8489 section 14.6: MESSAGE-INTEGRITY-SHA256 may be truncated to 16..32 bytes (x4).
    const got = msg.buf.subarray(a.offset, a.offset + a.length);
    const want = sha256 ? expected.subarray(0, a.length) : expected;
    return got.length === want.length && timingSafeEqual(got, want);
}
/**
 * Check MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY. Returns false when neither
 * is present or the value does not match (constant-time comparison).
 */
export function checkIntegrity(msg, key) {
    for (const a of msg.attrs) {
        if (a.type === Attr.MessageIntegritySha256) {
            if (a.length < 16 || a.length > 32 || a.length % 4 !== 0)
                return false;
            return verify(msg, a, key, true);
        }
    }
    for (const a of msg.attrs) {
        if (a.type === Attr.MessageIntegrity)
            return a.length === 20 && verify(msg, a, key, false);
    }
    return false;
}
export function fingerprintOf(buf, end) {
    return (crc32(buf.subarray(0, end)) ^ FINGERPRINT_XOR) >>> 0;
}
/** RFC 8489 section 14.7: true when there is no FINGERPRINT or it matches. */
export function checkFingerprint(msg) {
    const a = msg.attrs[msg.attrs.length - 1];
    if (!a || a.type !== Attr.Fingerprint)
        return true;
    if (a.length !== 4)
        return false;
    return msg.buf.readUInt32BE(a.offset) === fingerprintOf(msg.buf, a.offset - 4);
}
//# sourceMappingURL=integrity.js.map