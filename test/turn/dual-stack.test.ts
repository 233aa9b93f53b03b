/**
 * IPv6 and dual-stack allocations (RFC 8656 sections 7.2, 7.3, 9.2, 10.2, 11.2, 18.12-18.14) on a
 * relay with an IPv4 and an IPv6 relayed address (TURN_RELAY_IP 127.0.0.1, TURN_RELAY_IP6 ::1)
 * and a dual-stack listener (::), over IPv4 and IPv6 loopback, UDP and TCP. IPv6 peers are this
 * relay's own allocations (delivered in-process): ::1 is the host's only IPv6 loopback address,
 * and the tests add none to the host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TurnClient, TurnError } from '../../turn/client/index.js';
import { Attr, Method } from '../../turn/stun/index.js';
import type { RelayAddresses } from '../../turn/types.js';
import { PEER_IP, client, startRelay, udpPeer, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function dualRelay(over: Parameters<typeof startRelay>[0] = {}) {
  const r = await startRelay({ listenIp: '::', relayIp: '127.0.0.1', relayIp6: '::1', allowPeers: ['127.0.0.0/8'], ...over });
  cleanups.push(() => r.relay.stop());
  return r;
}

async function on(addr: RelayAddresses, host: '127.0.0.1' | '::1', transport: 'udp' | 'tcp' = 'udp'): Promise<TurnClient> {
  const c = await client(addr, { host, transport });
  cleanups.push(() => c.close());
  return c;
}

async function errorOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TurnError && e.code) return e.code;
    throw e;
  }
  throw new Error('expected a TURN error');
}

describe('REQUESTED-ADDRESS-FAMILY on a dual-stack relay', () => {
  it('IPv4 by default, IPv6 on request, from clients of either family', async () => {
    const { addr } = await dualRelay();
    for (const host of ['127.0.0.1', '::1'] as const) {
      expect((await (await on(addr, host)).allocate()).relayed.address).toBe('127.0.0.1');
      const v6 = await (await on(addr, host)).allocate({ family: 6 });
      expect(v6.relayed.address).toBe('::1');
      expect(v6.relayedAll).toHaveLength(1);
      expect((await (await on(addr, host)).allocate({ family: 4 })).relayed.address).toBe('127.0.0.1');
    }
    const c6 = await on(addr, '::1');
    expect((await c6.binding()).address).toBe('::1');
  });

  it('per-family permissions, channels and Send: 443 for the other family', async () => {
    const { relay, addr } = await dualRelay();
    const a = await on(addr, '::1');
    const b = await on(addr, '127.0.0.1');
    const ra = (await a.allocate({ family: 6 })).relayed;
    const rb = (await b.allocate({ family: 6 })).relayed;
    expect(await errorOf(a.createPermission('127.0.0.2'))).toBe(443);
    expect(await errorOf(a.channelBind({ address: '127.0.0.2', port: 9 }))).toBe(443);
    await a.createPermission('::1');
    await b.createPermission('::1');
    const got: string[] = [];
    b.on('data', (d, p) => got.push(`${d}|${p.address}|${p.port}`));
    a.sendIndication(rb, Buffer.from('send-v6'));
    await waitFor(() => got.length === 1, 10_000, 'v6 Send relayed');
    expect(got[0]).toBe(`send-v6|::1|${ra.port}`);
    const ch = await a.channelBind(rb);
    a.sendChannelData(ch, Buffer.from('chan-v6'));
    await waitFor(() => got.length === 2, 10_000, 'v6 ChannelData relayed');
    expect(got[1]).toBe(`chan-v6|::1|${ra.port}`);
    // A Send to an IPv4 peer from an IPv6 allocation is dropped (indications get no answer).
    const peer = await udpPeer();
    cleanups.push(() => peer.close());
    a.sendIndication({ address: PEER_IP, port: peer.port }, Buffer.from('x'));
    const check = await on(addr, '127.0.0.1');
    await check.binding(); // a round trip through the relay after the Send
    expect(peer.got).toHaveLength(0);
    expect(relay.handlerErrors).toBe(0);
  });

  it('440 for a family the relay has not; 400 for a malformed one', async () => {
    const v4only = await startRelay();
    cleanups.push(() => v4only.relay.stop());
    expect(await errorOf((await on(v4only.addr, '127.0.0.1')).allocate({ family: 6 }))).toBe(440);
    const { addr } = await dualRelay();
    const c = await on(addr, '127.0.0.1');
    await c.allocate({ family: 4 }); // authenticates the client (realm, nonce) for the raw requests below
    for (const [attrs, code] of [
      [[[Attr.RequestedAddressFamily, Buffer.from([3, 0, 0, 0])]], 400],
      [[[Attr.RequestedAddressFamily, Buffer.from([2, 0, 0])]], 400],
      [[[Attr.AdditionalAddressFamily, Buffer.from([1, 0, 0, 0])]], 400],
      [[[Attr.RequestedAddressFamily, Buffer.from([1, 0, 0, 0])], [Attr.AdditionalAddressFamily, Buffer.from([2, 0, 0, 0])]], 400],
    ] as Array<[Array<[number, Buffer]>, number]>) {
      const fresh = await on(addr, '127.0.0.1');
      expect(await errorOf(fresh.request(Method.Allocate, (b) => {
        b.addByte(Attr.RequestedTransport, 17);
        for (const [t, v] of attrs) b.add(t, v);
      }))).toBe(code);
    }
  });
});

describe('dual allocations (ADDITIONAL-ADDRESS-FAMILY)', () => {
  it('two XOR-RELAYED-ADDRESS, both usable: IPv4 to an external peer, IPv6 in-process', async () => {
    const { relay, addr } = await dualRelay();
    const events: string[] = [];
    relay.on('allocation-created', (e) => events.push(`created ${e.relayed} ${e.relayedAll.join(' ')}`));
    relay.on('allocation-deleted', (e) => events.push(`deleted ${e.reason} ${e.relayed} ${e.relayedAll.join(' ')}`));
    for (const transport of ['udp', 'tcp'] as const) {
      const d = await on(addr, '::1', transport);
      events.length = 0;
      const res = await d.allocate({ additionalFamily: 6 });
      // The events name both relayed addresses, the first (IPv4, the requested family) also alone.
      const [r4, r6a] = [`127.0.0.1:${res.relayedAll[0]!.port}`, `[::1]:${res.relayedAll[1]!.port}`];
      expect(events).toEqual([`created ${r4} ${r4} ${r6a}`]);
      expect(res.relayedAll.map((r) => r.family)).toEqual([4, 6]);
      expect(res.relayedAll.map((r) => r.address)).toEqual(['127.0.0.1', '::1']);
      expect(res.relayedAll[0]!.port).not.toBe(res.relayedAll[1]!.port);
      // IPv4 leg: an external UDP peer on 127.0.0.2 gets the data from the IPv4 relayed address.
      const peer = await udpPeer(true);
      cleanups.push(() => peer.close());
      await d.createPermission(PEER_IP, '::1');
      const back: string[] = [];
      d.on('data', (x, p) => back.push(`${x}|${p.address}`));
      d.sendIndication({ address: PEER_IP, port: peer.port }, Buffer.from(`v4-${transport}`));
      await waitFor(() => peer.got.length === 1 && back.length === 1, 10_000, 'IPv4 leg echo');
      expect(back[0]).toBe(`v4-${transport}|${PEER_IP}`);
      // IPv6 leg: to a v6-only allocation, which sees the dual allocation's IPv6 relayed address.
      const v6 = await on(addr, '127.0.0.1');
      const r6 = (await v6.allocate({ family: 6 })).relayed;
      await v6.createPermission('::1');
      const got: string[] = [];
      v6.on('data', (x, p) => got.push(`${x}|${p.address}|${p.port}`));
      d.sendIndication(r6, Buffer.from(`v6-${transport}`));
      await waitFor(() => got.length === 1, 10_000, 'IPv6 leg');
      expect(got[0]).toBe(`v6-${transport}|::1|${res.relayedAll[1]!.port}`);
      // Refresh: either family or none refreshes both; LIFETIME 0 frees both sockets.
      expect(await d.refresh(900, 6)).toBe(900);
      expect(await d.refresh(900, 4)).toBe(900);
      const before = (await relay.stats()).relaySockets;
      expect(await d.refresh(0)).toBe(0);
      expect((await relay.stats()).relaySockets).toBe(before - 2);
      expect(events).toContain(`deleted refresh ${r4} ${r4} ${r6a}`);
    }
    expect(relay.handlerErrors).toBe(0);
  });

  it('a Refresh naming a family the allocation has not: 443', async () => {
    const { addr } = await dualRelay();
    const c = await on(addr, '127.0.0.1');
    await c.allocate({ family: 4 });
    expect(await errorOf(c.refresh(900, 6))).toBe(443);
  });

  it('without an IPv6 relay address: the IPv4 allocation with ADDRESS-ERROR-CODE 440', async () => {
    const { relay, addr } = await startRelay();
    cleanups.push(() => relay.stop());
    const res = await (await on(addr, '127.0.0.1')).allocate({ additionalFamily: 6 });
    expect(res.relayedAll.map((r) => r.address)).toEqual(['127.0.0.1']);
    expect(res.addressError).toEqual({ family: 6, code: 440 });
  });
});

describe('configuration', () => {
  it('refuses two addresses of one family', async () => {
    await expect(startRelay({ relayIp: '::1', relayIp6: '::1' })).rejects.toThrow(/already has an IPv6 address/);
  });
});
