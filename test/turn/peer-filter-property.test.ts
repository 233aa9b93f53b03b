/**
 * The peer filter against an independent implementation: Node's net.BlockList holds the registry's
 * blocks (its own prefix matching), and the documented rules for embedded IPv4 are applied here
 * on top, on random addresses of every family and form. The random generator is seeded, so a
 * failure names an address that fails again.
 */
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PeerFilter } from '../../turn/security/peer-filter.js';
import { BEYOND_REGISTRY, SPECIAL_PURPOSE_V4, SPECIAL_PURPOSE_V6 } from '../../turn/security/special-purpose.js';
import { rng } from '../support/rng.js';

function lists(reachable: boolean): { v4: BlockList; v6: BlockList } {
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const e of [...SPECIAL_PURPOSE_V4, ...SPECIAL_PURPOSE_V6, ...BEYOND_REGISTRY]) {
    if (e.globallyReachable !== reachable) continue;
    const [net, bits] = e.prefix.split('/') as [string, string];
    if (net.includes(':')) v6.addSubnet(net, Number(bits), 'ipv6');
    else v4.addSubnet(net, Number(bits), 'ipv4');
  }
  return { v4, v6 };
}

// In the registries every "true" entry lies inside a "false" one or outside all of them, and no
// "false" entry lies inside a "true" one: so "most specific entry decides" is "in a false block
// and in no true block".
const FALSE = lists(false);
const TRUE = lists(true);

const dotted = (v: number): string => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
const hex = (n: number): string => n.toString(16);

/** The reference verdict for an IPv4 address given as a 32-bit number. */
function refV4(v: number): boolean {
  const ip = dotted(v);
  return !(FALSE.v4.check(ip, 'ipv4') && !TRUE.v4.check(ip, 'ipv4'));
}

/** The reference verdict for an IPv6 address given as eight 16-bit groups. */
function refV6(g: number[]): boolean {
  const ip = g.map(hex).join(':');
  if (FALSE.v6.check(ip, 'ipv6') && !TRUE.v6.check(ip, 'ipv6')) return false;
  // Documented rule: NAT64 64:ff9b::/96 and 6to4 2002::/16 are judged by the IPv4 they embed.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return refV4(((g[6]! << 16) | g[7]!) >>> 0);
  if (g[0] === 0x2002) return refV4(((g[1]! << 16) | g[2]!) >>> 0);
  return true;
}

/** Registry blocks to aim at, so random addresses land in and around every entry. */
const BLOCKS = [...SPECIAL_PURPOSE_V4, ...SPECIAL_PURPOSE_V6, ...BEYOND_REGISTRY].map((e) => e.prefix);

function randomIn(rand: () => number, prefix: string): { v4?: number; v6?: number[] } {
  const [net, b] = prefix.split('/') as [string, string];
  const bits = Number(b);
  if (!net.includes(':')) {
    const base = net.split('.').reduce((a, x) => a * 256 + Number(x), 0);
    const hostBits = 32 - bits;
    const host = hostBits === 0 ? 0 : Math.floor(rand() * 2 ** hostBits);
    return { v4: (base + host) >>> 0 };
  }
  const g = expand(net);
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const rnd = Math.floor(rand() * 65536);
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    g[i] = (g[i]! & mask) | (rnd & ~mask & 0xffff);
  }
  return { v6: g };
}

/** Eight groups of a "::"-compressed IPv6 literal without dotted part (the registry's spelling). */
function expand(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((x) => parseInt(x, 16));
}

/** Spell an IPv6 address one of several ways (compressed, full, upper case, dotted tail). */
function spell(rand: () => number, g: number[]): string {
  const k = Math.floor(rand() * 4);
  if (k === 0) return g.map(hex).join(':');
  if (k === 1) return g.map((x) => x.toString(16).padStart(4, '0').toUpperCase()).join(':');
  if (k === 2) return g.slice(0, 6).map(hex).join(':') + ':' + dotted(((g[6]! << 16) | g[7]!) >>> 0);
  // Longest run of zeros as "::".
  let best = -1, len = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len) [best, len] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (len < 2) return g.map(hex).join(':');
  return `${g.slice(0, best).map(hex).join(':')}::${g.slice(best + len).map(hex).join(':')}`;
}

function embed(kind: 'mapped' | 'nat64' | '6to4' | 'compat' | 'teredo', v4: number, rand: () => number): number[] {
  const hi = v4 >>> 16, lo = v4 & 0xffff;
  const r = () => Math.floor(rand() * 65536);
  switch (kind) {
    case 'mapped': return [0, 0, 0, 0, 0, 0xffff, hi, lo];
    case 'nat64': return [0x64, 0xff9b, 0, 0, 0, 0, hi, lo];
    case '6to4': return [0x2002, hi, lo, r(), r(), r(), r(), r()];
    case 'compat': return [0, 0, 0, 0, 0, 0, hi, lo];
    case 'teredo': return [0x2001, 0, hi, lo, r(), r(), ~hi & 0xffff, ~lo & 0xffff];
  }
}

describe('peer filter vs net.BlockList (property)', () => {
  const f = new PeerFilter([], []);
  const rand = rng(0x5b0a2d17);
  const v4Blocks = BLOCKS.filter((b) => !b.includes(':'));
  const v6Blocks = BLOCKS.filter((b) => b.includes(':'));
  const pickV4 = (): number => (rand() < 0.4 ? Math.floor(rand() * 2 ** 32) : randomIn(rand, v4Blocks[Math.floor(rand() * v4Blocks.length)]!).v4!);

  it('IPv4: 20,000 random addresses, 60% of them inside registry blocks', () => {
    for (let i = 0; i < 20_000; i++) {
      const v = pickV4();
      expect(f.isAllowed(dotted(v)), dotted(v)).toBe(refV4(v));
    }
  });

  it('IPv6: 20,000 random addresses, most inside registry blocks, in random spellings', () => {
    for (let i = 0; i < 20_000; i++) {
      const g = rand() < 0.2 ? Array.from({ length: 8 }, () => Math.floor(rand() * 65536)) : randomIn(rand, v6Blocks[Math.floor(rand() * v6Blocks.length)]!).v6!;
      const ip = spell(rand, g);
      expect(f.isAllowed(ip), ip).toBe(refV6(g));
    }
  });

  it.each(['mapped', 'nat64', '6to4', 'compat', 'teredo'] as const)('embedded IPv4, %s form: 5,000 random addresses', (kind) => {
    let allowed = 0;
    for (let i = 0; i < 5000; i++) {
      const g = embed(kind, pickV4() >>> 0, rand);
      const ip = spell(rand, g);
      const want = refV6(g);
      expect(f.isAllowed(ip), ip).toBe(want);
      if (want) allowed++;
    }
    // NAT64 and 6to4 follow the embedded address (some of each verdict); the others never pass.
    if (kind === 'nat64' || kind === '6to4') expect(allowed).toBeGreaterThan(500);
    else expect(allowed).toBe(0);
  });

  it('keeps IPv4 and IPv6 lists apart, as BlockList alone would judge a mapped address by IPv4 rules', () => {
    // BlockList matches an IPv4-mapped address against IPv4 rules; the registry (and the filter)
    // deny the mapped block as a whole: the reference above keeps IPv4 and IPv6 lists apart.
    const mixed = new BlockList();
    mixed.addSubnet('10.0.0.0', 8, 'ipv4');
    expect(mixed.check('::ffff:10.0.0.1', 'ipv6')).toBe(true);
    expect(f.isAllowed('::ffff:8.8.8.8')).toBe(false);
  });
});
