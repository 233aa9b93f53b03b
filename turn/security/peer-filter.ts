/**
 * Which peer addresses a client may reach through the relay (the SSRF guard; RFC 8656 section
 * 21 leaves the policy to the server).
 *
 * Denied by default: every block of the IANA Special-Purpose Address Registries whose "Globally
 * Reachable" is false, the most specific entry deciding (so 192.0.0.10/32, TURN anycast, is
 * reachable inside 192.0.0.0/24), plus multicast and deprecated forms (special-purpose.ts has the
 * data). Embedded IPv4:
 * - NAT64 `64:ff9b::/96` and 6to4 `2002::/16` are judged by the IPv4 address they embed (that is
 *   where the translator or 6to4 relay sends the packet);
 * - IPv4-mapped `::ffff:a.b.c.d` is denied as the registry says (an IPv6 allocation cannot send
 *   IPv4 packets; a client reaches an IPv4 peer by its IPv4 address, from an IPv4 allocation), as is
 *   the deprecated IPv4-compatible `::a.b.c.d`;
 * - Teredo `2001::/32` is denied by its enclosing 2001::/23.
 * `allow` (TURN_ALLOW_PEERS, CIDR) opens ranges: an IPv4 range opens those addresses and their
 * NAT64/6to4 forms, an IPv6 range the IPv6 addresses it covers. The relay's own addresses are
 * always allowed in their plain form (relay-to-relay on one server, delivered in-process).
 */
import { isIPv4 } from 'node:net';
import { ipv4ToInt, ipv6ToBytes } from '../stun/address.js';
import { BEYOND_REGISTRY, EMBEDDING_V6, SPECIAL_PURPOSE_V4, SPECIAL_PURPOSE_V6, type SpecialPurposeEntry } from './special-purpose.js';

interface V4Range {
  net: number;
  mask: number;
  bits: number;
}
interface V6Range {
  bytes: Buffer;
  bits: number;
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** A CIDR (`a.b.c.d/n` or `x::y/n`; no `/n` is one address) as a range; throws on anything else. */
export function parseCidr(cidr: string): { v4?: V4Range; v6?: V6Range } {
  const [ip, b, extra] = cidr.split('/') as [string, string | undefined, string | undefined];
  if (extra !== undefined || (b !== undefined && !/^\d{1,3}$/.test(b))) throw new Error(`bad CIDR ${cidr}`);
  if (isIPv4(ip)) {
    const bits = b === undefined ? 32 : Number(b);
    if (bits > 32) throw new Error(`bad CIDR ${cidr}`);
    const mask = maskOf(bits);
    return { v4: { net: (ipv4ToInt(ip) & mask) >>> 0, mask, bits } };
  }
  const bytes = ipv6ToBytes(ip);
  const bits = b === undefined ? 128 : Number(b);
  if (!bytes || bits > 128) throw new Error(`bad CIDR ${cidr}`);
  return { v6: { bytes, bits } };
}

function inV4(v: number, r: V4Range): boolean {
  return ((v & r.mask) >>> 0) === r.net;
}

function inV6(addr: Buffer, r: V6Range): boolean {
  const full = r.bits >> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== r.bytes[i]) return false;
  const rest = r.bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (addr[full]! & m) === (r.bytes[full]! & m);
}

/** Entries with a verdict, most specific first: the first one containing an address decides. */
function rules<R extends { bits: number }>(entries: readonly SpecialPurposeEntry[], pick: (e: SpecialPurposeEntry) => R | undefined): Array<R & { reachable: boolean }> {
  const out: Array<R & { reachable: boolean }> = [];
  for (const e of entries) {
    if (e.globallyReachable === 'n/a') continue;
    const r = pick(e);
    if (r) out.push({ ...r, reachable: e.globallyReachable });
  }
  return out.sort((a, b) => b.bits - a.bits);
}

const V4_RULES = rules([...SPECIAL_PURPOSE_V4, ...BEYOND_REGISTRY], (e) => parseCidr(e.prefix).v4);
const V6_RULES = rules([...SPECIAL_PURPOSE_V6, ...BEYOND_REGISTRY], (e) => parseCidr(e.prefix).v6);
const EMBEDDING = EMBEDDING_V6.map((e) => ({ range: parseCidr(e.prefix).v6!, offset: e.ipv4Offset }));

/** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address stands for, or undefined. */
export function embeddedIpv4(b: Buffer): number | undefined {
  for (const e of EMBEDDING) if (inV6(b, e.range)) return b.readUInt32BE(e.offset);
  return undefined;
}

export type PeerVerdict = 'allowed' | 'relay' | 'denied';

export class PeerFilter {
  private readonly allowV4: V4Range[] = [];
  private readonly allowV6: V6Range[] = [];
  private readonly relayV4 = new Set<number>();
  private readonly relayV6 = new Set<string>();

  constructor(allow: readonly string[], relayIps: readonly string[]) {
    for (const c of allow) {
      const r = parseCidr(c);
      if (r.v4) this.allowV4.push(r.v4);
      if (r.v6) this.allowV6.push(r.v6);
    }
    for (const ip of relayIps) {
      if (isIPv4(ip)) this.relayV4.add(ipv4ToInt(ip));
      else {
        const b = ipv6ToBytes(ip);
        if (b) this.relayV6.add(b.toString('hex'));
      }
    }
  }

  private checkV4(v: number): PeerVerdict {
    if (this.relayV4.has(v)) return 'relay';
    for (const r of this.allowV4) if (inV4(v, r)) return 'allowed';
    for (const r of V4_RULES) if (inV4(v, r)) return r.reachable ? 'allowed' : 'denied';
    return 'allowed';
  }

  /** 'relay' when the address is one of this server's relay addresses (delivered in-process). */
  check(ip: string): PeerVerdict {
    if (isIPv4(ip)) return this.checkV4(ipv4ToInt(ip));
    const b = ipv6ToBytes(ip);
    if (!b) return 'denied';
    if (this.relayV6.size && this.relayV6.has(b.toString('hex'))) return 'relay';
    for (const r of this.allowV6) if (inV6(b, r)) return 'allowed';
    for (const r of V6_RULES) {
      if (inV6(b, r)) {
        if (!r.reachable) return 'denied';
        break;
      }
    }
    const v4 = embeddedIpv4(b);
    if (v4 === undefined) return 'allowed';
    // Only the plain IPv4 form reaches the relay in-process; an embedded relay address would
    // leave through a translator and come back, so it is judged like a private one: denied.
    const v = this.checkV4(v4);
    return v === 'relay' ? 'denied' : v;
  }

  isAllowed(ip: string): boolean {
    return this.check(ip) !== 'denied';
  }
}
