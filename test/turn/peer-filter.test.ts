import { describe, expect, it } from 'vitest';
import { PeerFilter } from '../../turn/security/peer-filter.js';

const denied4 = [
  '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.9.9.9',
  '169.254.1.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '224.0.0.1', '239.255.255.250', '255.255.255.255',
];
const allowed4 = ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '198.51.100.7', '203.0.113.1'];
const denied6 = ['::', '::1', 'fc00::1', 'fdff::1', 'fe80::1', 'febf::1', 'ff02::1'];
const allowed6 = ['2001:db8::1', '2606:4700::1111'];

describe('peer filter defaults', () => {
  const f = new PeerFilter([], ['203.0.113.50']);
  it.each(denied4)('denies %s', (ip) => expect(f.check(ip)).toBe('denied'));
  it.each(allowed4)('allows %s', (ip) => expect(f.check(ip)).toBe('allowed'));
  it.each(denied6)('denies %s', (ip) => expect(f.check(ip)).toBe('denied'));
  it.each(allowed6)('allows %s', (ip) => expect(f.check(ip)).toBe('allowed'));
  it.each(denied4.filter((ip) => ip !== '0.0.0.0' && !ip.startsWith('0.')))('denies mapped, NAT64, compat forms of %s', (ip) => {
    expect(f.check(`::ffff:${ip}`)).toBe('denied');
    expect(f.check(`64:ff9b::${ip}`)).toBe('denied');
    expect(f.check(`::${ip}`)).toBe('denied');
  });
  it('denies the hex-written mapped form and 6to4 of a private address', () => {
    expect(f.check('::ffff:7f00:1')).toBe('denied');
    expect(f.check('::ffff:a00:1')).toBe('denied');
    expect(f.check('2002:c0a8:101::1')).toBe('denied');
    expect(f.check('64:ff9b:1::1')).toBe('denied');
    expect(f.check('0:0:0:0:0:ffff:0:0')).toBe('denied');
  });
  it('allows mapped/NAT64 forms of public addresses', () => {
    expect(f.check('::ffff:8.8.8.8')).toBe('allowed');
    expect(f.check('64:ff9b::8.8.8.8')).toBe('allowed');
  });
  it('marks the relay address as relay (in-process), not its mapped form', () => {
    expect(f.check('203.0.113.50')).toBe('relay');
    expect(f.check('::ffff:203.0.113.50')).toBe('denied');
    const lo = new PeerFilter([], ['127.0.0.1']);
    expect(lo.check('127.0.0.1')).toBe('relay');
    expect(lo.check('127.0.0.2')).toBe('denied');
    expect(lo.check('::ffff:127.0.0.1')).toBe('denied');
  });
  it('garbage is denied', () => expect(f.check('not-an-ip')).toBe('denied'));
});

describe('allow list', () => {
  const f = new PeerFilter(['127.0.0.0/8', '10.1.0.0/16', 'fd00::/8'], []);
  it('opens exactly the listed ranges', () => {
    expect(f.check('127.0.0.1')).toBe('allowed');
    expect(f.check('10.1.2.3')).toBe('allowed');
    expect(f.check('10.2.0.1')).toBe('denied');
    expect(f.check('::ffff:10.1.0.9')).toBe('allowed');
    expect(f.check('fd12::1')).toBe('allowed');
    expect(f.check('fc00::1')).toBe('denied');
    expect(f.check('192.168.0.1')).toBe('denied');
  });
  it('/0 opens everything', () => {
    const all = new PeerFilter(['0.0.0.0/0', '::/0'], []);
    expect(all.check('10.0.0.1')).toBe('allowed');
    expect(all.check('::1')).toBe('allowed');
  });
});

describe('IPv6 relay address', () => {
  it('is the relay (in-process) in any spelling', () => {
    const f = new PeerFilter([], ['fd00::1']);
    expect(f.check('fd00::1')).toBe('relay');
    expect(f.check('fd00:0:0:0:0:0:0:1')).toBe('relay');
    expect(f.check('fd00::2')).toBe('denied');
  });
});
