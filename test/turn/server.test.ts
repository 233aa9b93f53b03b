import { afterEach, describe, expect, it } from 'vitest';
import { Attr, Method, MessageBuilder, Class, getErrorCode, decode, getXorAddress } from '../../turn/stun/index.js';
import { TurnClient, TurnError } from '../../turn/client/index.js';
import type { TurnRelay } from '../../turn/relay.js';
import { PEER_IP, client, creds, fakeClock, startRelay, udpPeer, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function relayFor(...args: Parameters<typeof startRelay>) {
  const r = await startRelay(...args);
  cleanups.push(() => r.relay.stop());
  return r;
}
async function clientFor(...args: Parameters<typeof client>) {
  const c = await client(...args);
  cleanups.push(() => c.close());
  return c;
}
/** A port allocator that waits at a gate: `inAllocator` when a request reached it, `portBound` after. */
async function gatedPortAllocator() {
  const { rangePortAllocator } = await import('../../turn/allocation/port-allocator.js');
  const real = rangePortAllocator('127.0.0.1', 20000, 59999, 65536);
  let entered!: () => void;
  const inAllocator = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let bound!: () => void;
  const portBound = new Promise<void>((r) => (bound = r));
  const portAllocator: typeof real = async (o) => {
    entered();
    await gate;
    const got = await real(o);
    bound();
    return got;
  };
  return { portAllocator, inAllocator, release, portBound };
}

async function errorOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TurnError) return e.code;
    throw e;
  }
  throw new Error('expected a TURN error');
}

describe.each(['udp', 'tcp'] as const)('over %s', (transport) => {
  it('Binding answers the reflexive address', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr, { transport });
    const a = await c.binding();
    expect(a).toEqual({ family: 4, address: '127.0.0.1', port: c.local.port });
  });

  it('Allocate: 401 challenge then success with a concrete relayed address', async () => {
    const { relay, addr } = await relayFor();
    const created: string[] = [];
    relay.on('allocation-created', (e) => created.push(e.relayed));
    const c = await clientFor(addr, { transport });
    const res = await c.allocate();
    expect(res.relayed.address).toBe('127.0.0.1');
    expect(res.relayed.port).toBeGreaterThanOrEqual(20000);
    expect(res.lifetime).toBe(600);
    expect(res.mapped?.port).toBe(c.local.port);
    expect(created).toEqual([`127.0.0.1:${res.relayed.port}`]);
    const s = await relay.stats();
    expect(s.allocations).toBe(1);
    expect(s.relaySockets).toBe(1);
    expect(s.authFailures).toBe(1); // the 401 challenge
  });

  it('relays ChannelData and Send/Data both ways to an allowed peer, ChannelData padded over streams', async () => {
    const { relay, addr } = await relayFor({ allowPeers: ['127.0.0.0/8'] });
    const peer = await udpPeer(true);
    cleanups.push(() => peer.close());
    const c = await clientFor(addr, { transport });
    const { relayed } = await c.allocate();
    const got: Array<[string, number | undefined]> = [];
    c.on('data', (d, _p, ch) => got.push([d.toString(), ch]));
    const p = { address: PEER_IP, port: peer.port };
    await c.createPermission(PEER_IP);
    c.sendIndication(p, Buffer.from('via-send'));
    await waitFor(() => got.length === 1, 10_000, 'data indication');
    expect(got[0]).toEqual(['via-send', undefined]);
    const ch = await c.channelBind(p);
    c.sendChannelData(ch, Buffer.from('abc')); // 3 bytes: padding exercised over TCP
    await waitFor(() => got.length === 2, 10_000, 'channel data');
    expect(got[1]).toEqual(['abc', ch]);
    expect(peer.got.map(String)).toEqual(['via-send', 'abc']);
    const s = await relay.stats();
    expect(s.packetsToPeers).toBe(2);
    expect(s.packetsToClients).toBe(2);
    expect(s.channels).toBe(1);
    expect(s.permissions).toBe(1);
    expect(relayed.port).toBeGreaterThan(0);
  });

  it('403 for forbidden peers at CreatePermission and ChannelBind; Send to them is dropped', async () => {
    const { relay, addr } = await relayFor();
    const c = await clientFor(addr, { transport });
    await c.allocate();
    for (const ip of ['127.0.0.2', '10.0.0.1', '192.168.1.1', '169.254.169.254', '224.0.0.1', '198.18.0.1', '192.0.0.1', '192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1', '100::1', '2001:2::1']) {
      expect(await errorOf(c.createPermission(ip))).toBe(403);
    }
    expect(await errorOf(c.channelBind({ address: '10.1.2.3', port: 5000 }))).toBe(403);
    // Mapped and NAT64 spellings of forbidden addresses: 403 too (policy before family).
    expect(await errorOf(c.createPermission('::ffff:127.0.0.1'))).toBe(403);
    expect(await errorOf(c.createPermission('64:ff9b::a00:1'))).toBe(403);
    expect(await errorOf(c.channelBind({ address: '::ffff:192.168.0.1', port: 1 }))).toBe(403);
    // A globally reachable IPv6 peer on this IPv4 relay: 443 (never sent to).
    expect(await errorOf(c.createPermission('2606:4700::1111'))).toBe(443);
    const before = (await relay.stats()).forbidden;
    c.sendIndication({ address: '127.0.0.2', port: 9 }, Buffer.from('x'));
    await waitFor(async () => (await relay.stats()).forbidden === before + 1, 10_000, 'forbidden count');
    expect((await relay.stats()).packetsToPeers).toBe(0);
  });

  it('Refresh extends, LIFETIME 0 deletes and closes the relay socket', async () => {
    const { relay, addr } = await relayFor();
    const deleted: string[] = [];
    relay.on('allocation-deleted', (e) => deleted.push(e.reason));
    const c = await clientFor(addr, { transport });
    await c.allocate({ lifetime: 100 });
    expect(await c.refresh(99999)).toBe(3600);
    expect(await c.refresh(1)).toBe(600);
    expect(await c.refresh(0)).toBe(0);
    expect(deleted).toEqual(['refresh']);
    const s = await relay.stats();
    expect(s.allocations).toBe(0);
    expect(s.relaySockets).toBe(0);
    expect(await errorOf(c.refresh(600))).toBe(437);
  });
});

describe('errors', () => {
  it('MESSAGE-INTEGRITY-SHA256 requests are verified and answered with SHA256', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr, { sha256: true });
    const seen: boolean[] = [];
    c.on('message', (m) => seen.push(m.attrs.some((a) => a.type === Attr.MessageIntegritySha256)));
    await c.allocate();
    expect(await c.refresh(700)).toBe(700);
    expect(seen.slice(1)).toEqual([true, true]); // after the 401 challenge
  });

  it('437 for a second Allocate and for requests without an allocation', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    expect(await errorOf(c.createPermission('8.8.8.8'))).toBe(437);
    expect(await errorOf(c.channelBind({ address: '8.8.8.8', port: 53 }))).toBe(437);
    expect(await errorOf(c.refresh(60))).toBe(437);
    await c.allocate();
    expect(await errorOf(c.allocate())).toBe(437);
  });

  it('442 for TCP relayed transport, 440 for IPv6, 400 for missing REQUESTED-TRANSPORT', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    expect(await errorOf(c.allocate({ transport: 6 }))).toBe(442);
    expect(await errorOf(c.allocate({ family: 6 }))).toBe(440);
    expect(await errorOf(c.request(Method.Allocate))).toBe(400);
    const ok = await c.allocate({ family: 4, dontFragment: true });
    expect(ok.relayed.address).toBe('127.0.0.1');
  });

  it('401 for a wrong password or an expired REST username; static users work', async () => {
    const { addr } = await relayFor({ staticUsers: [{ username: 'dev', password: 'devpass' }] });
    const bad = await clientFor(addr, { username: creds().username, password: 'wrong' });
    expect(await errorOf(bad.allocate())).toBe(401);
    const expired = await clientFor(addr, creds(-10));
    expect(await errorOf(expired.allocate())).toBe(401);
    const notRest = await clientFor(addr, { username: 'nobody', password: 'x' });
    expect(await errorOf(notRest.allocate())).toBe(401);
    const dev = await clientFor(addr, { username: 'dev', password: 'devpass' });
    await dev.allocate();
  });

  it('441 when another user speaks on an allocated 5-tuple', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    await c.allocate();
    const other = creds();
    // Reuse the socket with another username: rebuild a request by hand.
    (c.opts as { username?: string }).username = other.username;
    (c.opts as { password?: string }).password = other.password;
    // The old key no longer matches; force a fresh challenge by clearing the nonce.
    (c as unknown as { nonce?: string }).nonce = undefined;
    expect(await errorOf(c.refresh(600))).toBe(441);
  });

  it('438 stale nonce is answered with a fresh nonce and the client retries', async () => {
    const clock = fakeClock();
    const { addr } = await relayFor({}, { now: clock.now, nonceTtlSeconds: 60 });
    const c = await clientFor(addr);
    await c.allocate();
    clock.advance(61_000);
    const seen: number[] = [];
    c.on('message', (m) => {
      const e = getErrorCode(m);
      if (e) seen.push(e.code);
    });
    expect(await c.refresh(600)).toBe(600);
    expect(seen).toEqual([438]);
  });

  it('420 with UNKNOWN-ATTRIBUTES for an unknown comprehension-required attribute; optional ones ignored', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    const e = await c.request(Method.Binding, (b) => b.add(0x7777, Buffer.from([1, 2, 3, 4]))).catch((x: TurnError) => x);
    expect(e).toBeInstanceOf(TurnError);
    const te = e as TurnError;
    expect(te.code).toBe(420);
    const ua = te.response!.attrs.find((a) => a.type === Attr.UnknownAttributes)!;
    expect(te.response!.buf.readUInt16BE(ua.offset)).toBe(0x7777);
    await c.request(Method.Binding, (b) => b.add(0xc777, Buffer.from([1])));
    expect(await errorOf(c.allocate().then(() => c.request(Method.Refresh, (b) => b.add(0x0055, Buffer.alloc(4)))))).toBe(420);
  });

  it('486 per-user quota and 508 total quota', async () => {
    const { addr } = await relayFor({ userQuota: 2, totalQuota: 3 });
    const u = creds();
    const a1 = await clientFor(addr, u);
    const a2 = await clientFor(addr, u);
    const a3 = await clientFor(addr, u);
    await a1.allocate();
    await a2.allocate();
    expect(await errorOf(a3.allocate())).toBe(486);
    const b1 = await clientFor(addr);
    await b1.allocate();
    const b2 = await clientFor(addr);
    expect(await errorOf(b2.allocate())).toBe(508);
    await a1.refresh(0);
    await b2.allocate();
  });

  it('508 when the permission or channel limit per allocation is reached', async () => {
    const { addr } = await relayFor({ maxPermissions: 2, maxChannels: 1 });
    const c = await clientFor(addr);
    await c.allocate();
    await c.createPermission('8.8.8.8', '8.8.4.4');
    expect(await errorOf(c.createPermission('1.1.1.1'))).toBe(508);
    await c.createPermission('8.8.8.8');
    await c.channelBind({ address: '8.8.8.8', port: 53 });
    expect(await errorOf(c.channelBind({ address: '8.8.4.4', port: 53 }))).toBe(508);
  });

  it('ChannelBind: accepts 0x4000-0x7FFF, rejects others and rebinding (400)', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    await c.allocate();
    expect(await c.channelBind({ address: '8.8.8.8', port: 1 }, 0x7fff)).toBe(0x7fff);
    expect(await c.channelBind({ address: '8.8.8.8', port: 1 }, 0x7fff)).toBe(0x7fff); // refresh
    expect(await errorOf(c.channelBind({ address: '8.8.8.8', port: 2 }, 0x3fff))).toBe(400);
    expect(await errorOf(c.channelBind({ address: '8.8.8.8', port: 2 }, 0x8000))).toBe(400);
    expect(await errorOf(c.channelBind({ address: '8.8.8.8', port: 2 }, 0x7fff))).toBe(400);
    expect(await errorOf(c.channelBind({ address: '8.8.8.8', port: 1 }, 0x4001))).toBe(400);
  });

  it('401 answers are rate limited per source address', async () => {
    const { relay, addr } = await relayFor({}, { unauthorizedBurst: 5, unauthorizedPerSecond: 0.001 });
    const c = await clientFor(addr, { maxRetransmits: 0, rto: 1500 });
    let answered = 0;
    for (let i = 0; i < 8; i++) {
      const b = new MessageBuilder(Method.Allocate, Class.Request).addByte(Attr.RequestedTransport, 17).build();
      try {
        const r = await c.rawRequest(b);
        if (getErrorCode(r)?.code === 401) answered++;
      } catch {
        // dropped
      }
    }
    expect(answered).toBe(5);
    expect(relay.internals.limiterEntries).toBe(1);
  });

  it('over TCP every unauthenticated request is answered (no reflection to limit; streams do not retransmit)', async () => {
    const { relay, addr } = await relayFor({}, { unauthorizedBurst: 5, unauthorizedPerSecond: 0.001 });
    const c = await clientFor(addr, { transport: 'tcp', maxRetransmits: 0, rto: 1500 });
    let answered = 0;
    for (let i = 0; i < 8; i++) {
      const b = new MessageBuilder(Method.Allocate, Class.Request).addByte(Attr.RequestedTransport, 17).build();
      if (getErrorCode(await c.rawRequest(b))?.code === 401) answered++;
    }
    expect(answered).toBe(8);
    expect(relay.internals.limiterEntries).toBe(0);
  });
});

describe('retransmissions', () => {
  it('a retransmitted Allocate gets the cached answer: same relayed address, one allocation', async () => {
    const { relay, addr } = await relayFor();
    const c = await clientFor(addr);
    await c.binding();
    // Get a nonce first (401), then build one authenticated Allocate and send it three times.
    await c.allocate();
    await c.refresh(0);
    const req = c.buildRequest(Method.Allocate, (b) => b.addByte(Attr.RequestedTransport, 17));
    const responses: string[] = [];
    c.on('message', (m) => {
      const x = getXorAddress(m, Attr.XorRelayedAddress);
      if (x) responses.push(`${x.address}:${x.port}`);
    });
    c.sendRaw(req);
    c.sendRaw(req);
    await waitFor(() => responses.length >= 1, 10_000, 'first answer');
    c.sendRaw(req);
    await waitFor(() => responses.length === 3, 10_000, 'three answers');
    expect(new Set(responses).size).toBe(1);
    const s = await relay.stats();
    expect(s.allocations).toBe(1);
    expect(s.relaySockets).toBe(1);
    expect(s.allocationsTotal).toBe(2);
  });

  it('a retransmitted Refresh LIFETIME 0 is answered with success, not 437', async () => {
    const { addr } = await relayFor();
    const c = await clientFor(addr);
    await c.allocate();
    const req = c.buildRequest(Method.Refresh, (b) => b.addUint32(Attr.Lifetime, 0));
    const r1 = await c.rawRequest(req);
    const r2 = await c.rawRequest(req);
    expect(r1.cls).toBe(Class.Success);
    expect(r2.buf.equals(r1.buf)).toBe(true);
  });
});

describe('expiry with an injected clock', () => {
  it('allocation, permission and channel expire; a call kept alive by Refresh outlives one LIFETIME', async () => {
    const clock = fakeClock();
    const { relay, addr } = await relayFor({ allowPeers: ['127.0.0.0/8'] }, { now: clock.now, sweepIntervalMs: 3_600_000 });
    const reasons: string[] = [];
    relay.on('allocation-deleted', (e) => reasons.push(e.reason));
    const peer = await udpPeer(false);
    cleanups.push(() => peer.close());
    const keep = await clientFor(addr);
    const drop = await clientFor(addr);
    await keep.allocate({ lifetime: 600 });
    await drop.allocate({ lifetime: 600 });
    await keep.createPermission(PEER_IP);
    const ch = await keep.channelBind({ address: PEER_IP, port: peer.port }, 0x4000);
    // 5 minutes: permission (300 s) gone, channel (600 s) still bound.
    clock.advance(301_000);
    relay.sweep();
    let s = await relay.stats();
    expect(s.permissions).toBe(0);
    expect(s.channels).toBe(1);
    keep.sendChannelData(ch, Buffer.from('no-permission'));
    // Refresh the call before its LIFETIME ends (as a browser does at lifetime - 60 s).
    clock.advance(240_000);
    expect(await keep.refresh(600)).toBe(600);
    clock.advance(60_000);
    relay.sweep();
    s = await relay.stats();
    expect(s.allocations).toBe(1);
    expect(s.channels).toBe(0);
    expect(reasons).toEqual(['expired']);
    expect(s.relaySockets).toBe(1);
    // Keep the call going past several LIFETIMEs.
    for (let i = 0; i < 3; i++) {
      clock.advance(540_000);
      expect(await keep.refresh(600)).toBe(600);
      relay.sweep();
    }
    expect((await relay.stats()).allocations).toBe(1);
    clock.advance(601_000);
    relay.sweep();
    s = await relay.stats();
    expect(s.allocations).toBe(0);
    expect(s.relaySockets).toBe(0);
    expect(peer.got.length).toBe(0);
  });
});

describe('relay to relay on one server', () => {
  it('delivers in-process between two allocations, nothing to an unowned port on the relay IP', async () => {
    const { relay, addr } = await relayFor(); // default deny: 127.0.0.0/8 is NOT allowed
    const a = await clientFor(addr);
    const b = await clientFor(addr, { transport: 'tcp' });
    const ra = (await a.allocate()).relayed;
    const rb = (await b.allocate()).relayed;
    await a.createPermission('127.0.0.1');
    await b.createPermission('127.0.0.1');
    const gotA: string[] = [];
    const gotB: string[] = [];
    a.on('data', (d, p) => gotA.push(`${d}|${p.port}`));
    b.on('data', (d, p) => gotB.push(`${d}|${p.port}`));
    const chA = await a.channelBind(rb);
    a.sendChannelData(chA, Buffer.from('hello-b'));
    b.sendIndication(ra, Buffer.from('hello-a'));
    await waitFor(() => gotA.length === 1 && gotB.length === 1, 10_000, 'relay-to-relay data');
    expect(gotB).toEqual([`hello-b|${ra.port}`]);
    expect(gotA).toEqual([`hello-a|${rb.port}`]);
    // A socket of another process on the relay IP gets nothing, even with a permission.
    const outsider = await udpPeer(false, '127.0.0.1');
    cleanups.push(() => outsider.close());
    await a.channelBind({ address: '127.0.0.1', port: outsider.port });
    const sentBefore = (await relay.stats()).packetsToPeers;
    a.send({ address: '127.0.0.1', port: outsider.port }, Buffer.from('leak?'));
    a.sendIndication({ address: '127.0.0.1', port: outsider.port }, Buffer.from('leak?'));
    // Prove the relay processed both (in order) by a round trip after them.
    b.sendIndication(ra, Buffer.from('marker'));
    await waitFor(() => gotA.length === 2, 10_000, 'marker');
    await a.binding();
    expect(outsider.got.length).toBe(0);
    // Only the marker was relayed: what went nowhere is not counted as sent.
    expect((await relay.stats()).packetsToPeers - sentBefore).toBe(1);
    expect(relay.handlerErrors).toBe(0);
  });
});

describe('relay to relay: a payload no Data indication can carry', () => {
  it('a 65,535-byte ChannelData over TCP to an allocation with no channel back is dropped, not thrown', async () => {
    const { relay, addr } = await relayFor();
    const a = await clientFor(addr, { transport: 'tcp' });
    const b = await clientFor(addr);
    const ra = (await a.allocate()).relayed;
    const rb = (await b.allocate()).relayed;
    await a.createPermission('127.0.0.1');
    await b.createPermission('127.0.0.1');
    const gotB: string[] = [];
    b.on('data', (d, p) => gotB.push(`${d.length}|${p.port}`));
    const ch = await a.channelBind(rb);
    a.sendChannelData(ch, Buffer.alloc(0xffff, 7)); // the largest ChannelData a stream can carry
    a.sendChannelData(ch, Buffer.from('marker'));
    await waitFor(() => gotB.length === 1, 10_000, 'the marker');
    expect(gotB).toEqual([`6|${ra.port}`]);
    expect(relay.handlerErrors).toBe(0);
  });
});

describe('bandwidth cap', () => {
  it('drops what exceeds TURN_MAX_BPS', async () => {
    const clock = fakeClock();
    const { addr } = await relayFor({ allowPeers: ['127.0.0.0/8'], maxBps: 8000 }, { now: clock.now }); // 1000 B/s
    const peer = await udpPeer(false);
    cleanups.push(() => peer.close());
    const c = await clientFor(addr);
    await c.allocate();
    const ch = await c.channelBind({ address: PEER_IP, port: peer.port });
    for (let i = 0; i < 20; i++) c.sendChannelData(ch, Buffer.alloc(100, i));
    await c.binding(); // a round trip: the relay processed everything before it
    await waitFor(() => peer.got.length >= 10, 10_000, 'first second of budget');
    await c.binding();
    expect(peer.got.length).toBe(10);
    clock.advance(500);
    for (let i = 0; i < 20; i++) c.sendChannelData(ch, Buffer.alloc(100, i));
    await waitFor(() => peer.got.length >= 15, 10_000, 'refill');
    await c.binding();
    expect(peer.got.length).toBe(15);
  });
});

describe('EVEN-PORT and RESERVATION-TOKEN', () => {
  it('allocates an even port, reserves the next one, and hands it out for the token', async () => {
    const { relay, addr } = await relayFor();
    const c1 = await clientFor(addr);
    const r1 = await c1.allocate({ evenPort: { reserve: true } });
    expect(r1.relayed.port % 2).toBe(0);
    expect(r1.reservationToken?.length).toBe(8);
    expect((await relay.stats()).relaySockets).toBe(2);
    const c2 = await clientFor(addr);
    const r2 = await c2.allocate({ reservationToken: r1.reservationToken! });
    expect(r2.relayed.port).toBe(r1.relayed.port + 1);
    const c3 = await clientFor(addr);
    expect(await errorOf(c3.allocate({ reservationToken: r1.reservationToken! }))).toBe(508);
    expect(await errorOf(c3.allocate({ reservationToken: Buffer.alloc(8), evenPort: { reserve: false } }))).toBe(400);
  });
});

describe('stop()', () => {
  it('closes every socket and handle; idempotent', async () => {
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout').length;
    const before = handles();
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'] });
    const reasons: string[] = [];
    relay.on('allocation-deleted', (e) => reasons.push(e.reason));
    const cs: TurnClient[] = [];
    for (const transport of ['udp', 'tcp', 'udp'] as const) {
      const c = await client(addr, { transport });
      await c.allocate();
      await c.channelBind({ address: '127.0.0.1', port: 9 });
      cs.push(c);
    }
    expect((await relay.stats()).relaySockets).toBe(3);
    await Promise.all([relay.stop(), relay.stop()]);
    await relay.stop();
    expect(reasons.sort()).toEqual(['stop', 'stop', 'stop']);
    expect((await relay.stats()).relaySockets).toBe(0);
    for (const c of cs) await c.close();
    await waitFor(() => handles() <= before, 10_000, 'handles released');
  });

  it.each([
    ['an Allocate', {}],
    ['an EVEN-PORT Allocate that reserves the next port', { evenPort: { reserve: true } }],
  ] as const)('stop() during %s releases the ports bound afterwards', async (_what, allocateOpts) => {
    const { portAllocator, inAllocator, release } = await gatedPortAllocator();
    const { relay, addr } = await startRelay({}, { portAllocator });
    const c = await client(addr, { maxRetransmits: 1, rto: 300 });
    const pending = c.allocate(allocateOpts).catch((e: Error) => e);
    await inAllocator;
    const stopped = relay.stop();
    release();
    await stopped;
    expect(await pending).toBeInstanceOf(Error);
    await c.close();
    await waitFor(async () => (await relay.stats()).relaySockets === 0, 10_000, 'late socket released');
    expect(relay.handlerErrors).toBe(0);
  });

  it('a TCP client that hangs up while its port is being bound leaves no allocation behind', async () => {
    const { portAllocator, inAllocator, release, portBound } = await gatedPortAllocator();
    const { relay, addr } = await relayFor({}, { portAllocator });
    const c = await client(addr, { transport: 'tcp', maxRetransmits: 1, rto: 300 });
    const pending = c.allocate().catch((e: Error) => e);
    await inAllocator;
    await c.close();
    await waitFor(() => relay.internals.streamConnections === 0, 10_000, 'the server saw the hang-up');
    release();
    await portBound;
    expect(await pending).toBeInstanceOf(Error);
    await waitFor(async () => (await relay.stats()).relaySockets === 0, 10_000, 'the late port released');
    expect((await relay.stats()).allocations).toBe(0);
    expect(relay.handlerErrors).toBe(0);
  });

  it('a TCP client disconnect deletes its allocation and closes the relay socket', async () => {
    const { relay, addr } = await relayFor();
    const reasons: string[] = [];
    relay.on('allocation-deleted', (e) => reasons.push(e.reason));
    const c = await client(addr, { transport: 'tcp' });
    await c.allocate();
    await c.close();
    await waitFor(async () => (await relay.stats()).relaySockets === 0, 10_000, 'relay socket closed');
    expect(reasons).toEqual(['disconnect']);
  });
});

describe('malformed input', () => {
  it('garbage over TCP closes that connection only', async () => {
    const { relay, addr } = await relayFor();
    const c = await clientFor(addr, { transport: 'tcp' });
    const closed = new Promise((r) => c.once('close', () => r(true)));
    c.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    expect(await closed).toBe(true);
    const d = await clientFor(addr, { transport: 'tcp' });
    await d.allocate();
    expect(relay.handlerErrors).toBe(0);
    expect(decode(Buffer.alloc(3))).toBeNull();
  });
});

describe('IPv6 relay', () => {
  it('allocates on ::1 and relays between two allocations in-process', async () => {
    const { addr } = await relayFor({ listenIp: '::1', relayIp: '::1' });
    const a = await clientFor(addr, { host: '::1' });
    const b = await clientFor(addr, { host: '::1' });
    expect(await errorOf(a.allocate({ family: 4 }))).toBe(440);
    const ra = (await a.allocate({ family: 6 })).relayed;
    const rb = (await b.allocate()).relayed;
    expect(ra.address).toBe('::1');
    await a.createPermission('::1');
    await b.createPermission('::1');
    expect(await errorOf(a.createPermission('8.8.8.8'))).toBe(443);
    expect(await errorOf(a.createPermission('127.0.0.1'))).toBe(403);
    const got: string[] = [];
    b.on('data', (d, p) => got.push(`${d}|${p.address}|${p.port}`));
    a.sendIndication(rb, Buffer.from('v6'));
    await waitFor(() => got.length === 1, 10_000, 'v6 relay-to-relay');
    expect(got[0]).toBe(`v6|::1|${ra.port}`);
  });
});

describe('dual-stack listener', () => {
  it('reports IPv4 clients of a :: listener by their IPv4 address', async () => {
    const { addr } = await relayFor({ listenIp: '::' });
    const c = await clientFor(addr);
    expect(await c.binding()).toEqual({ family: 4, address: '127.0.0.1', port: c.local.port });
    const res = await c.allocate();
    expect(res.mapped).toEqual({ family: 4, address: '127.0.0.1', port: c.local.port });
    expect(res.relayed.address).toBe('127.0.0.1');
  });
});
