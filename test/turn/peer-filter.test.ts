/**
 * The peer filter against the IANA Special-Purpose Address Registries, entry by entry: each row
 * below names a registry entry (turn/security/special-purpose.ts) and addresses inside it with the
 * verdict written out by hand (not derived from the data), and every entry must have a row.
 */
import { describe, expect, it } from 'vitest';
import { PeerFilter, type PeerVerdict } from '../../turn/security/peer-filter.js';
import { BEYOND_REGISTRY, SPECIAL_PURPOSE_V4, SPECIAL_PURPOSE_V6 } from '../../turn/security/special-purpose.js';

const D: PeerVerdict = 'denied';
const A: PeerVerdict = 'allowed';

/** prefix -> [address, verdict] pairs: the block's first and last address at least. */
const ROWS: Record<string, Array<[string, PeerVerdict]>> = {
  '0.0.0.0/8': [['0.0.0.1', D], ['0.255.255.255', D]],
  '0.0.0.0/32': [['0.0.0.0', D]],
  '10.0.0.0/8': [['10.0.0.0', D], ['10.255.255.255', D]],
  '100.64.0.0/10': [['100.64.0.0', D], ['100.127.255.255', D]],
  '127.0.0.0/8': [['127.0.0.0', D], ['127.255.255.255', D]],
  '169.254.0.0/16': [['169.254.0.0', D], ['169.254.255.255', D]],
  '172.16.0.0/12': [['172.16.0.0', D], ['172.31.255.255', D]],
  '192.0.0.0/24': [['192.0.0.11', D], ['192.0.0.255', D]],
  '192.0.0.0/29': [['192.0.0.0', D], ['192.0.0.7', D]],
  '192.0.0.8/32': [['192.0.0.8', D]],
  '192.0.0.9/32': [['192.0.0.9', A]],
  '192.0.0.10/32': [['192.0.0.10', A]],
  '192.0.0.170/32': [['192.0.0.170', D]],
  '192.0.0.171/32': [['192.0.0.171', D]],
  '192.0.2.0/24': [['192.0.2.0', D], ['192.0.2.255', D]],
  '192.31.196.0/24': [['192.31.196.0', A], ['192.31.196.255', A]],
  '192.52.193.0/24': [['192.52.193.0', A], ['192.52.193.255', A]],
  '192.88.99.0/24': [['192.88.99.0', A], ['192.88.99.1', A], ['192.88.99.255', A]],
  '192.88.99.2/32': [['192.88.99.2', D]],
  '192.168.0.0/16': [['192.168.0.0', D], ['192.168.255.255', D]],
  '192.175.48.0/24': [['192.175.48.0', A], ['192.175.48.255', A]],
  '198.18.0.0/15': [['198.18.0.0', D], ['198.19.255.255', D]],
  '198.51.100.0/24': [['198.51.100.0', D], ['198.51.100.255', D]],
  '203.0.113.0/24': [['203.0.113.0', D], ['203.0.113.255', D]],
  '240.0.0.0/4': [['240.0.0.0', D], ['255.255.255.254', D]],
  '255.255.255.255/32': [['255.255.255.255', D]],
  '::1/128': [['::1', D], ['0:0:0:0:0:0:0:1', D]],
  '::/128': [['::', D]],
  '::ffff:0:0/96': [['::ffff:0.0.0.0', D], ['::ffff:8.8.8.8', D], ['::ffff:ffff:ffff', D]],
  '64:ff9b::/96': [['64:ff9b::8.8.8.8', A], ['64:ff9b::10.0.0.1', D], ['64:ff9b::ffff:ffff', D], ['64:ff9b::c000:a', A]],
  '64:ff9b:1::/48': [['64:ff9b:1::', D], ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', D]],
  '100::/64': [['100::', D], ['100::ffff:ffff:ffff:ffff', D]],
  '100:0:0:1::/64': [['100:0:0:1::', D], ['100::1:ffff:ffff:ffff:ffff', D]],
  '2001::/23': [['2001:4::', D], ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '2001::/32': [['2001::', D], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', D]],
  '2001:1::1/128': [['2001:1::1', A]],
  '2001:1::2/128': [['2001:1::2', A]],
  '2001:1::3/128': [['2001:1::3', A]],
  '2001:2::/48': [['2001:2::', D], ['2001:2:0:ffff:ffff:ffff:ffff:ffff', D]],
  '2001:3::/32': [['2001:3::', A], ['2001:3:ffff:ffff:ffff:ffff:ffff:ffff', A]],
  '2001:4:112::/48': [['2001:4:112::', A], ['2001:4:112:ffff:ffff:ffff:ffff:ffff', A]],
  '2001:10::/28': [['2001:10::', D], ['2001:1f:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '2001:20::/28': [['2001:20::', A], ['2001:2f:ffff:ffff:ffff:ffff:ffff:ffff', A]],
  '2001:30::/28': [['2001:30::', A], ['2001:3f:ffff:ffff:ffff:ffff:ffff:ffff', A]],
  '2001:db8::/32': [['2001:db8::', D], ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '2002::/16': [['2002:808:808::1', A], ['2002:c0a8:101::1', D], ['2002:cb00:7101::', D], ['2002::', D]],
  '2620:4f:8000::/48': [['2620:4f:8000::', A], ['2620:4f:8000:ffff:ffff:ffff:ffff:ffff', A]],
  '3fff::/20': [['3fff::', D], ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '5f00::/16': [['5f00::', D], ['5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  'fc00::/7': [['fc00::', D], ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  'fe80::/10': [['fe80::', D], ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '224.0.0.0/4': [['224.0.0.0', D], ['239.255.255.255', D]],
  'ff00::/8': [['ff00::', D], ['ff02::1', D], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  'fec0::/10': [['fec0::', D], ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', D]],
  '::/96': [['::2', D], ['::8.8.8.8', D], ['::ffff:ffff', D]],
};

describe('peer filter: one test per registry entry', () => {
  const f = new PeerFilter([], []);
  const entries = [...SPECIAL_PURPOSE_V4, ...SPECIAL_PURPOSE_V6, ...BEYOND_REGISTRY];
  it('every entry has a row and every row an entry', () => {
    expect(Object.keys(ROWS).sort()).toEqual(entries.map((e) => e.prefix).sort());
  });
  it.each(entries.map((e) => [e.prefix, e.name, e.globallyReachable] as const))('%s (%s, globally reachable: %s)', (prefix) => {
    for (const [ip, verdict] of ROWS[prefix]!) expect(f.check(ip), ip).toBe(verdict);
  });
  it('allows ordinary global unicast, and the neighbours of special blocks', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '198.17.255.255', '198.20.0.0', '198.51.99.255', '198.51.101.0', '203.0.112.255', '203.0.114.0', '223.255.255.255', '192.0.1.255', '192.0.3.0']) {
      expect(f.check(ip), ip).toBe('allowed');
    }
    for (const ip of ['2606:4700::1111', '2a00:1450::1', '2001:200::1', '2001:db7:ffff::1', '2001:db9::', '3ffe::1', '4000::', '5eff::1', '5f01::', 'fbff::1', '64:ff9b:2::1', '64:ff9a::1']) {
      expect(f.check(ip), ip).toBe('allowed');
    }
  });
  it('reads every spelling of an address the same', () => {
    expect(f.check('::FFFF:7F00:1')).toBe('denied');
    expect(f.check('0:0:0:0:0:ffff:127.0.0.1')).toBe('denied');
    expect(f.check('2001:0DB8:0000::0001')).toBe('denied');
    expect(f.check('0064:ff9b:0000:0000:0000:0000:0808:0808')).toBe('allowed');
  });
  it('garbage is denied', () => {
    for (const ip of ['not-an-ip', '', '1.2.3', '1.2.3.4.5', '::g', '1::2::3']) expect(f.check(ip), ip).toBe('denied');
  });
});

describe('allow list (TURN_ALLOW_PEERS)', () => {
  const f = new PeerFilter(['127.0.0.0/8', '10.1.0.0/16', 'fd00::/8', '198.51.100.0/24', '2001:db8::/32'], []);
  it('opens exactly the listed ranges', () => {
    expect(f.check('127.0.0.1')).toBe('allowed');
    expect(f.check('10.1.2.3')).toBe('allowed');
    expect(f.check('10.2.0.1')).toBe('denied');
    expect(f.check('fd12::1')).toBe('allowed');
    expect(f.check('fc00::1')).toBe('denied');
    expect(f.check('192.168.0.1')).toBe('denied');
    // Documentation ranges, as the NAT suite uses them for its "public" network.
    expect(f.check('198.51.100.20')).toBe('allowed');
    expect(f.check('203.0.113.1')).toBe('denied');
    expect(f.check('2001:db8::1')).toBe('allowed');
  });
  it('an IPv4 range opens its NAT64 and 6to4 forms too, not its mapped form', () => {
    expect(f.check('64:ff9b::10.1.0.9')).toBe('allowed');
    expect(f.check('2002:a01:9::1')).toBe('allowed');
    expect(f.check('::ffff:10.1.0.9')).toBe('denied');
    expect(new PeerFilter(['::ffff:10.1.0.0/112'], []).check('::ffff:10.1.0.9')).toBe('allowed');
  });
  it('/0 opens everything', () => {
    const all = new PeerFilter(['0.0.0.0/0', '::/0'], []);
    for (const ip of ['10.0.0.1', '::1', '::ffff:127.0.0.1', '255.255.255.255', 'ff02::1']) expect(all.check(ip), ip).toBe('allowed');
  });
  it('refuses a bad CIDR', () => {
    for (const c of ['10.0.0.0/33', '::/129', 'x/8', '10.0.0.0/8/8', '10.0.0.0/a']) expect(() => new PeerFilter([c], []), c).toThrow(/bad CIDR/);
  });
});

describe('the relay\'s own addresses', () => {
  it('are the relay (in-process) in their plain form only', () => {
    const f = new PeerFilter([], ['203.0.113.50', '127.0.0.1']);
    expect(f.check('203.0.113.50')).toBe('relay');
    expect(f.check('127.0.0.1')).toBe('relay');
    expect(f.check('127.0.0.2')).toBe('denied');
    expect(f.check('::ffff:203.0.113.50')).toBe('denied');
    expect(f.check('::ffff:127.0.0.1')).toBe('denied');
    expect(f.check('64:ff9b::7f00:1')).toBe('denied');
  });
  it('IPv6: in any spelling', () => {
    const f = new PeerFilter([], ['fd00::1', '127.0.0.1']);
    expect(f.check('fd00::1')).toBe('relay');
    expect(f.check('fd00:0:0:0:0:0:0:1')).toBe('relay');
    expect(f.check('fd00::2')).toBe('denied');
    expect(f.check('127.0.0.1')).toBe('relay');
  });
});
