/**
 * Transport address attributes: MAPPED-ADDRESS and the XOR-ed family (XOR-MAPPED-ADDRESS,
 * XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). RFC 8489 sections 14.1 and 14.2, RFC 8656 sections
 * 18.3 and 18.5.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { FAMILY_IPV4, FAMILY_IPV6, MAGIC_COOKIE } from './constants.js';
/** Parse a dotted IPv4 string to an unsigned 32-bit number (no validation beyond the shape). */
export function ipv4ToInt(ip) {
    let n = 0;
    let part = 0;
    for (let i = 0; i < ip.length; i++) {
        const c = ip.charCodeAt(i);
        if (c === 46) {
            n = (n << 8) | part;
            part = 0;
        }
        else
            part = part * 10 + (c - 48);
    }
    return ((n << 8) | part) >>> 0;
}
/**
 * The address to report as a client's reflexive address: an IPv4-mapped IPv6 address (what a
 * dual-stack `::` listener sees for IPv4 clients) is reported as the IPv4 address it maps.
 */
export function reflexiveIp(ip) {
    return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}
/**
 * A Map key for a transport address without building a string: a number for IPv4
 * (ip * 65536 + port, exact in a double), the "ip:port" string for IPv6. Hot paths use it because
 * a freshly concatenated string must be flattened and hashed on every lookup.
 */
export function addressKey(ip, port) {
    return ip.includes(':') ? `${ip}:${port}` : ipv4ToInt(ip) * 65536 + port;
}
export function intToIpv4(n) {
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
/** Expand an IPv6 string to its 16 bytes. Returns null when it is not IPv6. */
export function ipv6ToBytes(ip) {
    if (!isIPv6(ip))
        return null;
    const out = Buffer.alloc(16);
    let s = ip;
    const zone = s.indexOf('%');
    if (zone >= 0)
        s = s.slice(0, zone);
    // A trailing dotted quad (::ffff:1.2.3.4) becomes two hextets.
    const lastColon = s.lastIndexOf(':');
    const tail = s.slice(lastColon + 1);
    if (tail.includes('.')) {
        const v = ipv4ToInt(tail);
        s = `${s.slice(0, lastColon + 1)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
    }
    const [head, rest] = s.split('::');
    const h = head ? head.split(':') : [];
    const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
    const groups = rest === undefined ? h : [...h, ...new Array(8 - h.length - r.length).fill('0'), ...r];
    for (let i = 0; i < 8; i++)
        out.writeUInt16BE(parseInt(groups[i] ?? '0', 16) & 0xffff, i * 2);
    return out;
}
export function bytesToIpv6(b, off = 0) {
    const parts = [];
    for (let i = 0; i < 8; i++)
        parts.push(b.readUInt16BE(off + i * 2).toString(16));
    // Compress the longest run of zero groups (RFC 5952).
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8;) {
        if (parts[i] !== '0') {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && parts[j] === '0')
            j++;
        if (j - i > bestLen && j - i > 1) {
            best = i;
            bestLen = j - i;
        }
        i = j;
    }
    if (best < 0)
        return parts.join(':');
    return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}
/**
 * Decode an address attribute value. `tid` non-null means XOR-ed (RFC 8489 section 14.2: port
 * XOR the cookie's top 16 bits, IPv4 XOR the cookie, IPv6 XOR cookie || transaction id).
 * Returns null on a malformed value.
 */
export function decodeAddress(buf, off, len, tid) {
    if (len < 4)
        return null;
    const family = buf[off + 1];
    let port = buf.readUInt16BE(off + 2);
    if (tid)
        port ^= MAGIC_COOKIE >>> 16;
    if (family === FAMILY_IPV4) {
        if (len !== 8)
            return null;
        let v = buf.readUInt32BE(off + 4);
        if (tid)
            v = (v ^ MAGIC_COOKIE) >>> 0;
        return { family: 4, address: intToIpv4(v), port };
    }
    if (family === FAMILY_IPV6) {
        if (len !== 20)
            return null;
        const b = Buffer.allocUnsafe(16);
        buf.copy(b, 0, off + 4, off + 20);
        if (tid) {
            b.writeUInt32BE((b.readUInt32BE(0) ^ MAGIC_COOKIE) >>> 0, 0);
            for (let i = 0; i < 12; i++)
                b[4 + i] ^= tid[i];
        }
        return { family: 6, address: bytesToIpv6(b), port };
    }
    return null;
}
/** Encode an address attribute value (XOR-ed when `tid` is given). */
export function encodeAddress(ip, port, tid) {
    if (isIPv4(ip)) {
        const b = Buffer.allocUnsafe(8);
        b[0] = 0;
        b[1] = FAMILY_IPV4;
        b.writeUInt16BE(tid ? port ^ (MAGIC_COOKIE >>> 16) : port, 2);
        const v = ipv4ToInt(ip);
        b.writeUInt32BE(tid ? (v ^ MAGIC_COOKIE) >>> 0 : v, 4);
        return b;
    }
    const bytes = ipv6ToBytes(ip);
    if (!bytes)
        throw new TypeError(`not an IP address: ${ip}`);
    const b = Buffer.allocUnsafe(20);
    b[0] = 0;
    b[1] = FAMILY_IPV6;
    b.writeUInt16BE(tid ? port ^ (MAGIC_COOKIE >>> 16) : port, 2);
    bytes.copy(b, 4);
    if (tid) {
        b.writeUInt32BE((b.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0, 4);
        for (let i = 0; i < 12; i++)
            b[8 + i] ^= tid[i];
    }
    return b;
}
//# sourceMappingURL=address.js.map