import { describe, expect, it, vi } from 'vitest';
import {
  Attr,
  Class,
  MessageBuilder,
  Method,
  checkFingerprint,
  checkIntegrity,
  decode,
  decodeAddress,
  encodeAddress,
  encodeChannelData,
  getErrorCode,
  getString,
  getXorAddress,
  longTermKey,
  messageType,
  methodOf,
  classOf,
  ipv6ToBytes,
  bytesToIpv6,
  ErrAllocationMismatch,
} from '../../turn/stun/index.js';
import { StreamFramer } from '../../turn/transport/framer.js';

// RFC 5769 section 2 test vectors.
const vec = {
  request:
    '000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf',
  ipv4Response:
    '0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96',
  ipv6Response:
    '010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c',
  longTerm:
    '000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe382b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666',
};
const shortTermKey = Buffer.from('VOkJxbRl1RmTxUk/WvJxBt');

describe('RFC 5769 test vectors', () => {
  it('2.1 sample request: attributes, integrity (short-term), fingerprint', () => {
    const m = decode(Buffer.from(vec.request, 'hex'))!;
    expect(m).not.toBeNull();
    expect(m.method).toBe(Method.Binding);
    expect(m.cls).toBe(Class.Request);
    expect(getString(m, Attr.Software)).toBe('STUN test client');
    expect(getString(m, Attr.Username)).toBe('evtj:h6vY');
    expect(checkIntegrity(m, shortTermKey)).toBe(true);
    expect(checkIntegrity(m, Buffer.from('wrong'))).toBe(false);
    expect(checkFingerprint(m)).toBe(true);
  });
  it('2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853', () => {
    const m = decode(Buffer.from(vec.ipv4Response, 'hex'))!;
    expect(m.cls).toBe(Class.Success);
    expect(getXorAddress(m, Attr.XorMappedAddress)).toEqual({ family: 4, address: '192.0.2.1', port: 32853 });
    expect(checkIntegrity(m, shortTermKey)).toBe(true);
    expect(checkFingerprint(m)).toBe(true);
  });
  it('2.3 IPv6 response', () => {
    const m = decode(Buffer.from(vec.ipv6Response, 'hex'))!;
    expect(getXorAddress(m, Attr.XorMappedAddress)).toEqual({
      family: 6,
      address: '2001:db8:1234:5678:11:2233:4455:6677',
      port: 32853,
    });
    expect(checkIntegrity(m, shortTermKey)).toBe(true);
    expect(checkFingerprint(m)).toBe(true);
  });
  it('2.4 long-term authentication: key = MD5(user:realm:SASLprep(password))', () => {
    const m = decode(Buffer.from(vec.longTerm, 'hex'))!;
    expect(getString(m, Attr.Realm)).toBe('example.org');
    expect(getString(m, Attr.Nonce)).toBe('f//499k954d6OL34oL9FSTvy64sA');
    const key = longTermKey(getString(m, Attr.Username)!, 'example.org', 'TheMatrIX');
    expect(checkIntegrity(m, key)).toBe(true);
  });
  it('a corrupted fingerprint is detected', () => {
    const b = Buffer.from(vec.request, 'hex');
    b[b.length - 1]! ^= 1;
    expect(checkFingerprint(decode(b)!)).toBe(false);
  });
});

describe('message type', () => {
  it('round-trips method and class', () => {
    for (const method of Object.values(Method)) {
      for (const cls of Object.values(Class)) {
        const t = messageType(method, cls);
        expect(methodOf(t)).toBe(method);
        expect(classOf(t)).toBe(cls);
      }
    }
    expect(messageType(Method.Allocate, Class.Request)).toBe(0x0003);
    expect(messageType(Method.Allocate, Class.Error)).toBe(0x0113);
    expect(messageType(Method.Data, Class.Indication)).toBe(0x0017);
  });
});

describe('builder', () => {
  it('builds with integrity (SHA1 and SHA256) and fingerprint that decode and verify', () => {
    const key = longTermKey('u', 'r', 'p');
    for (const sha256 of [false, true]) {
      const b = new MessageBuilder(Method.Allocate, Class.Error);
      b.addError(ErrAllocationMismatch).addString(Attr.Realm, 'r').addXorAddress(Attr.XorPeerAddress, '198.51.100.7', 4242);
      const m = decode(b.build({ key, fingerprint: true, sha256 }))!;
      expect(m).not.toBeNull();
      expect(getErrorCode(m)).toEqual({ code: 437, reason: 'Allocation Mismatch' });
      expect(getXorAddress(m, Attr.XorPeerAddress)).toEqual({ family: 4, address: '198.51.100.7', port: 4242 });
      expect(checkIntegrity(m, key)).toBe(true);
      expect(checkFingerprint(m)).toBe(true);
    }
  });
  it('ignores attributes after MESSAGE-INTEGRITY except FINGERPRINT', () => {
    const key = Buffer.from('k');
    const raw = new MessageBuilder(Method.Binding, Class.Request).build({ key });
    const extra = Buffer.from([0x80, 0x22, 0, 4, 1, 2, 3, 4]);
    const b = Buffer.concat([raw, extra]);
    b.writeUInt16BE(b.length - 20, 2);
    const m = decode(b)!;
    expect(m.attrs.map((a) => a.type)).toEqual([Attr.MessageIntegrity]);
    expect(checkIntegrity(m, key)).toBe(true);
  });
});

describe('decode rejects malformed input', () => {
  const good = Buffer.from(vec.request, 'hex');
  it.each([
    ['empty', Buffer.alloc(0)],
    ['short header', good.subarray(0, 19)],
    ['truncated', good.subarray(0, good.length - 4)],
    ['bad cookie', Buffer.concat([good.subarray(0, 4), Buffer.alloc(4), good.subarray(8)])],
    ['top bits set', Buffer.concat([Buffer.from([0xc0]), good.subarray(1)])],
  ])('%s', (_n, b) => {
    expect(decode(b)).toBeNull();
  });
  it('attribute length past the end', () => {
    const b = Buffer.from(good);
    b.writeUInt16BE(0x00ff, 22);
    expect(decode(b)).toBeNull();
  });
  it('length not a multiple of 4', () => {
    const b = Buffer.from(good);
    b.writeUInt16BE(b.readUInt16BE(2) - 1, 2);
    expect(decode(b)).toBeNull();
  });
  it('too many attributes', () => {
    const b = new MessageBuilder(Method.Binding, Class.Request);
    for (let i = 0; i < 100; i++) b.add(0x8055, Buffer.alloc(0));
    expect(decode(b.build())).toBeNull();
  });
});

describe('addresses', () => {
  it('encodes and decodes IPv4 and IPv6, plain and XOR', () => {
    const tid = Buffer.alloc(12, 7);
    for (const ip of ['1.2.3.4', '255.255.255.255', '2001:db8::1', '::ffff:10.0.0.1', '::', 'fe80::1:2']) {
      for (const t of [null, tid]) {
        const v = encodeAddress(ip, 65535, t);
        const d = decodeAddress(v, 0, v.length, t)!;
        expect(d.port).toBe(65535);
        expect(ipv6ToBytes(d.address) ?? d.address).toEqual(ipv6ToBytes(ip) ?? ip);
      }
    }
    expect(bytesToIpv6(ipv6ToBytes('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(decodeAddress(Buffer.from([0, 9, 0, 0, 1, 2, 3, 4]), 0, 8, null)).toBeNull();
    expect(decodeAddress(Buffer.from([0, 1, 0, 0, 1, 2, 3]), 0, 7, null)).toBeNull();
  });
});

describe('ChannelData and stream framer', () => {
  it('pads over streams only', () => {
    expect(encodeChannelData(0x4001, Buffer.from('abc'), false).length).toBe(7);
    expect(encodeChannelData(0x4001, Buffer.from('abc'), true).length).toBe(8);
  });
  it('splits coalesced and partial frames and rejects garbage', () => {
    const frames: Array<[string, boolean]> = [];
    const f = new StreamFramer((fr, ch) => frames.push([fr.toString('hex'), ch]));
    const stun = Buffer.from(vec.request, 'hex');
    const cd = encodeChannelData(0x4000, Buffer.from('hello'), true);
    const all = Buffer.concat([stun, cd, stun, cd]);
    // Feed byte by byte, then all at once.
    for (let i = 0; i < all.length; i++) expect(f.push(all.subarray(i, i + 1))).toBe(true);
    expect(f.push(all)).toBe(true);
    expect(frames.length).toBe(8);
    expect(frames[0]).toEqual([stun.toString('hex'), false]);
    expect(frames[1]).toEqual([cd.toString('hex'), true]);
    expect(f.buffered).toBe(0);
    expect(new StreamFramer(() => {}).push(Buffer.from([0x80, 0, 0, 0]))).toBe(false);
    expect(new StreamFramer(() => {}).push(Buffer.from([0x00, 1, 0, 3]))).toBe(false);
  });
  it('a largest-size frame fed a byte at a time is joined once, and garbage is seen from its header', () => {
    const frames: Buffer[] = [];
    const f = new StreamFramer((fr) => frames.push(Buffer.from(fr)));
    const big = encodeChannelData(0x4000, Buffer.alloc(0xffff, 0x5a), true);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      for (let i = 0; i < big.length; i++) expect(f.push(big.subarray(i, i + 1))).toBe(true);
      // One join for the first 4 bytes (the header), one for the whole frame.
      expect(concat.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      concat.mockRestore();
    }
    expect(frames).toHaveLength(1);
    expect(frames[0]!.equals(big)).toBe(true);
    expect(f.buffered).toBe(0);
    // A partial header, then garbage: refused as soon as 4 bytes are there.
    const g = new StreamFramer(() => {});
    expect(g.push(Buffer.from([0x80, 0]))).toBe(true);
    expect(g.push(Buffer.from([0, 0]))).toBe(false);
  });
});
