/**
 * Fuzz: 100,000+ random and mutated datagrams and a few thousand TCP frames at the relay. Nothing
 * may throw out of a handler; afterwards the relay still answers a Binding and a full Allocate,
 * memory stays bounded, and freeing every allocation leaves 0 relay sockets.
 *
 * Traffic stays on loopback: mutated requests cannot pass MESSAGE-INTEGRITY, so the only
 * permissions are the ones the legitimate clients created (127.0.0.2).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TurnClient } from '../../turn/client/index.js';
import type { TurnRelay } from '../../turn/relay.js';
import { Attr, Class, MessageBuilder, Method, encodeChannelData } from '../../turn/stun/index.js';
import type { RelayAddresses } from '../../turn/types.js';
import { PEER_IP, client, fakeClock, startRelay, udpPeer, waitFor } from './helpers.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Messages with thousands of empty attributes (prebuilt: building them is the slow part). */
const HUGE = [10, 65, 500, 3000, 16000].map((n) => {
  const m = new MessageBuilder(Method.Allocate, Class.Request);
  for (let i = 0; i < n; i++) m.add(i % 2 ? 0x0055 : 0x8055, Buffer.alloc(0));
  return m.build();
});

function mutate(base: Buffer, r: () => number): Buffer {
  const int = (n: number): number => Math.floor(r() * n);
  const b = Buffer.from(base);
  switch (int(9)) {
    case 0: // random bytes
      return Buffer.from(Array.from({ length: int(600) }, () => int(256)));
    case 1: // bit flips
      for (let i = 0, n = 1 + int(8); i < n && b.length; i++) b[int(b.length)]! ^= 1 << int(8);
      return b;
    case 2: // truncation
      return b.subarray(0, int(b.length));
    case 3: // wrong message length
      if (b.length >= 4) b.writeUInt16BE(int(65536), 2);
      return b;
    case 4: {
      // bad attribute length somewhere after the header
      if (b.length > 24) b.writeUInt16BE(int(65536), 20 + 4 * int((b.length - 22) / 4) + 2 - (b.length % 4 === 0 ? 0 : 2));
      return b;
    }
    case 5: // huge attribute count (comprehension-required and optional)
      return HUGE[int(HUGE.length)]!;
    case 6: // random method/class bits on a valid message
      if (b.length >= 2) b.writeUInt16BE(int(0x4000), 0);
      return b;
    case 7: // extend with junk
      return Buffer.concat([b, Buffer.from(Array.from({ length: int(64) }, () => int(256)))]);
    default: // splice two halves of different messages
      return Buffer.concat([b.subarray(0, int(b.length)), Buffer.from(Array.from({ length: int(40) }, () => int(256)))]);
  }
}

describe('fuzz', () => {
  let relay: TurnRelay;
  let addr: RelayAddresses;
  let corpus: Buffer[] = [];
  const clients: TurnClient[] = [];
  const clock = fakeClock();

  beforeAll(async () => {
    ({ relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'] }, { now: clock.now }));
    const sink = await udpPeer(false);
    afterAll(() => sink.close());
    // Two legitimate clients with allocations, permissions and channels: mutated traffic is sent
    // from their 5-tuples too, so the authenticated paths and the ChannelData path are reached.
    for (const transport of ['udp', 'udp'] as const) {
      const c = await client(addr, { transport });
      await c.allocate();
      await c.createPermission(PEER_IP);
      await c.channelBind({ address: PEER_IP, port: sink.port }, 0x4000);
      clients.push(c);
    }
    const c = clients[0]!;
    const peer = { address: PEER_IP, port: sink.port };
    corpus = [
      c.buildRequest(Method.Binding, undefined, false),
      c.buildRequest(Method.Allocate, (b) => b.addByte(Attr.RequestedTransport, 17).add(Attr.EvenPort, Buffer.from([0x80]))),
      c.buildRequest(Method.Allocate, (b) => b.addByte(Attr.RequestedTransport, 17), false),
      c.buildRequest(Method.Refresh, (b) => b.addUint32(Attr.Lifetime, 600)),
      c.buildRequest(Method.CreatePermission, (b) => b.addXorAddress(Attr.XorPeerAddress, PEER_IP, 0)),
      c.buildRequest(Method.ChannelBind, (b) => b.addUint32(Attr.ChannelNumber, 0x4001 << 16).addXorAddress(Attr.XorPeerAddress, PEER_IP, sink.port)),
      new MessageBuilder(Method.Send, Class.Indication).addXorAddress(Attr.XorPeerAddress, peer.address, peer.port).add(Attr.Data, Buffer.from('fuzz')).build(),
      encodeChannelData(0x4000, Buffer.alloc(120, 7), false),
      encodeChannelData(0x4000, Buffer.alloc(3, 7), true),
    ];
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    await relay?.stop();
  });

  it('survives 100,000+ mutated and random datagrams', async () => {
    const r = rng(0x5eed);
    const rssBefore = process.memoryUsage().rss;
    const raw = dgram.createSocket('udp4');
    await new Promise<void>((res) => raw.bind(0, '127.0.0.1', () => res()));
    raw.on('message', () => {});
    const probe = await client(addr);
    const TOTAL = 100_000;
    const BATCH = 400;
    let sent = 0;
    while (sent < TOTAL) {
      for (let i = 0; i < BATCH; i++, sent++) {
        const pkt = mutate(corpus[Math.floor(r() * corpus.length)]!, r);
        const from = sent % 3;
        if (from === 2) raw.send(pkt, addr.udp.port, '127.0.0.1');
        else clients[from]!.sendRaw(pkt);
      }
      // Synchronise: the relay has processed the batch once it answers a Binding sent after it.
      await probe.binding();
    }
    raw.close();
    await probe.close();
    expect(relay.handlerErrors).toBe(0);
    // Still serves: Binding and a full authenticated Allocate from a new client.
    // (From another source address: the fuzzing addresses used up their 401 budget, by design.)
    const fresh = await client(addr, { localAddress: '127.0.0.5' });
    expect((await fresh.binding()).port).toBe(fresh.local.port);
    const alloc = await fresh.allocate();
    expect(alloc.relayed.address).toBe('127.0.0.1');
    await fresh.refresh(0);
    await fresh.close();
    // The legitimate clients' allocations survived.
    for (const c of clients) expect(await c.refresh(600)).toBe(600);
    // Bounded state: the 401 limiter and response cache stay under their caps; RSS growth is
    // bounded (64 MiB allowed for the whole run including V8 heap growth of the test itself).
    expect(relay.internals.limiterEntries).toBeLessThanOrEqual(10_000);
    expect(relay.internals.cachedResponses).toBeLessThanOrEqual(10_000);
    const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    console.info(`fuzz: ${sent} datagrams, RSS growth ${grown.toFixed(1)} MiB (bound 64 MiB)`);
    expect(grown).toBeLessThan(64);
  }, 60_000);

  it('survives random and mutated TCP streams; each bad connection is dropped alone', async () => {
    const r = rng(0xbeef);
    let closedByServer = 0;
    for (let conn = 0; conn < 60; conn++) {
      const s = net.connect({ port: addr.tcp.port, host: '127.0.0.1', localAddress: '127.0.0.6' });
      s.on('error', () => {});
      s.on('data', () => {});
      await new Promise<void>((res) => s.once('connect', () => res()));
      const closed = new Promise<void>((res) => s.once('close', () => res()));
      // A few valid frames, then mutated ones, in random chunk sizes (partial + coalesced).
      const frames: Buffer[] = [];
      for (let i = 0; i < 50; i++) {
        const base = corpus[Math.floor(r() * corpus.length)]!;
        frames.push(i < 3 ? base : mutate(base, r));
      }
      const stream = Buffer.concat(frames);
      for (let off = 0; off < stream.length; ) {
        const n = 1 + Math.floor(r() * 300);
        s.write(stream.subarray(off, off + n));
        off += n;
      }
      s.end();
      await closed;
      closedByServer++;
    }
    expect(closedByServer).toBe(60);
    expect(relay.handlerErrors).toBe(0);
    const c = await client(addr, { transport: 'tcp', localAddress: '127.0.0.7' });
    await c.allocate();
    await c.close();
    await waitFor(() => relay.internals.streamConnections === 0, 10_000, 'stream connections released');
  }, 60_000);

  it('after freeing every allocation, no relay socket is left', async () => {
    for (const c of clients) expect(await c.refresh(0)).toBe(0);
    // Replays of the (valid) corpus Allocate from the raw socket's 5-tuple legitimately created
    // allocations, and EVEN-PORT R-bit ones hold reservations: expiry frees them all.
    clock.advance(3_601_000);
    relay.sweep();
    const s = await relay.stats();
    expect(s.allocations).toBe(0);
    expect(s.relaySockets).toBe(0);
  });
});
