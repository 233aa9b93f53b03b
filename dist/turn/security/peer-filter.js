/**
 * Which peer addresses a client may reach through the relay (the SSRF guard; RFC 8656 section
 * 21.1.x / 17 "Security Considerations" leaves the policy to the server).
 *
 * Denied by default: IPv4 0.0.0.0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16,
 * 224/4 (multicast), 240/4 (reserved, incl. 255.255.255.255); IPv6 ::/128, ::1, fc00::/7,
 * fe80::/10, fec0::/10, ff00::/8, 64:ff9b:1::/48, and every IPv6 form that embeds an IPv4
 * address (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96 NAT64, 2002::/16 6to4) is
 * judged by the embedded IPv4 address. `allow` (TURN_ALLOW_PEERS, CIDR) opens ranges; the relay's
 * own addresses are always allowed (relay-to-relay on one server).
 */
import { isIPv4 } from 'node:net';
import { ipv4ToInt, ipv6ToBytes } from '../stun/address.js';
const DENY_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4'];
const DENY_V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8', '64:ff9b:1::/48'];
function maskOf(bits) {
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}
export function parseCidr(cidr) {
    const [ip, b] = cidr.split('/');
    if (isIPv4(ip)) {
        const bits = b === undefined ? 32 : Number(b);
        if (!(bits >= 0 && bits <= 32))
            throw new Error(`bad CIDR ${cidr}`);
        const mask = maskOf(bits);
        return { v4: { net: (ipv4ToInt(ip) & mask) >>> 0, mask } };
    }
    const bytes = ipv6ToBytes(ip);
    const bits = b === undefined ? 128 : Number(b);
    if (!bytes || !(bits >= 0 && bits <= 128))
        throw new Error(`bad CIDR ${cidr}`);
    return { v6: { bytes, bits } };
}
function inV6(addr, r) {
    const full = r.bits >> 3;
    for (let i = 0; i < full; i++)
        if (addr[i] !== r.bytes[i])
            return false;
    const rest = r.bits & 7;
    if (rest === 0)
        return true;
    const m = (0xff << (8 - rest)) & 0xff;
    return (addr[full] & m) === (r.bytes[full] & m);
}
/** The IPv4 address embedded in an IPv6 one (mapped, compatible, NAT64, 6to4), or undefined. */
export function embeddedIpv4(b) {
    const zeros = (from, to) => {
        for (let i = from; i < to; i++)
            if (b[i] !== 0)
                return false;
        return true;
    };
    if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff)
        return b.readUInt32BE(12); // ::ffff:0:0/96
    if (zeros(0, 12) && b.readUInt32BE(12) > 1)
        return b.readUInt32BE(12); // ::a.b.c.d (deprecated)
    if (b.readUInt32BE(0) === 0x0064ff9b && zeros(4, 12))
        return b.readUInt32BE(12); // 64:ff9b::/96
    if (b.readUInt16BE(0) === 0x2002)
        return b.readUInt32BE(2); // 2002::/16 (6to4)
    return undefined;
}
export class PeerFilter {
    denyV4 = DENY_V4.map((c) => parseCidr(c).v4);
    denyV6 = DENY_V6.map((c) => parseCidr(c).v6);
    allowV4 = [];
    allowV6 = [];
    relayV4 = new Set();
    relayV6 = new Set();
    constructor(allow, relayIps) {
        for (const c of allow) {
            const r = parseCidr(c);
            if (r.v4)
                this.allowV4.push(r.v4);
            if (r.v6)
                this.allowV6.push(r.v6);
        }
        for (const ip of relayIps) {
            if (isIPv4(ip))
                this.relayV4.add(ipv4ToInt(ip));
            else {
                const b = ipv6ToBytes(ip);
                if (b)
                    this.relayV6.add(b.toString('hex'));
            }
        }
    }
    checkV4(v) {
        if (this.relayV4.has(v))
            return 'relay';
        for (const r of this.allowV4)
            if (((v & r.mask) >>> 0) === r.net)
                return 'allowed';
        for (const r of this.denyV4)
            if (((v & r.mask) >>> 0) === r.net)
                return 'denied';
        return 'allowed';
    }
    /** 'relay' when the address is one of this server's relay addresses (delivered in-process). */
    check(ip) {
        if (isIPv4(ip))
            return this.checkV4(ipv4ToInt(ip));
        const b = ipv6ToBytes(ip);
        if (!b)
            return 'denied';
        if (this.relayV6.size && this.relayV6.has(b.toString('hex')))
            return 'relay';
        for (const r of this.allowV6)
            if (inV6(b, r))
                return 'allowed';
        const v4 = embeddedIpv4(b);
        if (v4 !== undefined) {
            // Only the plain IPv4 form reaches the relay in-process; embedded forms are judged like
            // any IPv4 peer (so a mapped loopback is denied unless TURN_ALLOW_PEERS opens it).
            const v = this.checkV4(v4);
            return v === 'relay' ? 'denied' : v;
        }
        for (const r of this.denyV6)
            if (inV6(b, r))
                return 'denied';
        return 'allowed';
    }
    isAllowed(ip) {
        return this.check(ip) !== 'denied';
    }
}
//# sourceMappingURL=peer-filter.js.map