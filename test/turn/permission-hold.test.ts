/**
 * The permission hold (turn/allocation/allocation.ts `hold`, RelayConfig.permissionHoldMs): a
 * datagram that reaches an allocation a moment before its client's CreatePermission (or
 * ChannelBind) for that very peer IP is delivered once the permission comes, within the hold;
 * otherwise it is discarded as RFC 8656 section 9 says. As in a relayed ICE call, the peer is
 * another allocation of the same relay (in-process delivery): B's relayed address is A's peer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TurnClient } from '../../turn/client/index.js';
import type { RelayAddresses } from '../../turn/types.js';
import { PEER_IP, client, fakeClock, startRelay, udpPeer, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function pair(addr: RelayAddresses) {
  const a = await client(addr);
  const b = await client(addr);
  cleanups.push(() => a.close(), () => b.close());
  const ra = await a.allocate();
  const rb = await b.allocate();
  const got: string[] = [];
  a.on('data', (d) => got.push(d.toString()));
  // B may send to A's relayed address (the relay's own IP): B permits it.
  await b.createPermission(ra.relayed.address);
  /** B sends `text` to A's relayed address; resolves once the relay has handled it (a Binding behind it, same socket). */
  const send = async (...texts: string[]) => {
    for (const t of texts) b.sendIndication({ address: ra.relayed.address, port: ra.relayed.port }, Buffer.from(t));
    await b.binding();
  };
  return { a, b, ra, rb, got, send };
}

/** A permits `ip`, then B sends a marker that is delivered for sure: whatever A got before it came first. */
async function permitThenMarker(a: TurnClient, send: (t: string) => Promise<void>, got: string[], ip: string) {
  await a.createPermission(ip);
  await send('marker');
  await waitFor(() => got.includes('marker'), 5000, 'the marker');
}

describe('permission hold (RFC 8656 section 9: data before its permission)', () => {
  it('a check that arrives before the client permits its sender is delivered when the permission comes', async () => {
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], permissionHoldMs: 500 });
    cleanups.push(() => relay.stop());
    const { a, rb, got, send } = await pair(addr);
    await send('early check');
    expect(got).toEqual([]);
    await permitThenMarker(a, send, got, rb.relayed.address);
    expect(got).toEqual(['early check', 'marker']);
  });

  it('ChannelBind installs the permission too, and the held datagram comes over the channel', async () => {
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], permissionHoldMs: 500 });
    cleanups.push(() => relay.stop());
    const { a, rb, got, send } = await pair(addr);
    const channels: Array<number | undefined> = [];
    a.on('data', (_d, _p, ch) => channels.push(ch));
    await send('early');
    const ch = await a.channelBind({ address: rb.relayed.address, port: rb.relayed.port });
    await waitFor(() => got.includes('early'), 5000, 'the held datagram');
    expect(channels).toEqual([ch]);
  });

  it('without permissionHoldMs (the default, 0) it is discarded, as the RFC says', async () => {
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'] });
    cleanups.push(() => relay.stop());
    const { a, rb, got, send } = await pair(addr);
    await send('early check');
    await permitThenMarker(a, send, got, rb.relayed.address);
    expect(got).toEqual(['marker']);
  });

  it('a datagram held longer than the hold is discarded', async () => {
    const clock = fakeClock();
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], permissionHoldMs: 300 }, { now: clock.now, sweepIntervalMs: 3_600_000 });
    cleanups.push(() => relay.stop());
    const { a, rb, got, send } = await pair(addr);
    await send('too early');
    clock.advance(301);
    await send('in time');
    clock.advance(200);
    await permitThenMarker(a, send, got, rb.relayed.address);
    expect(got).toEqual(['in time', 'marker']);
  });

  it('only a permission for that very IP releases it: another peer\'s permission does not', async () => {
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], permissionHoldMs: 500 });
    cleanups.push(() => relay.stop());
    const { a, ra, rb, got, send } = await pair(addr);
    const other = await udpPeer();
    cleanups.push(() => other.close());
    await send('for A from B');
    await a.createPermission(PEER_IP);
    // A marker from the permitted other peer: the held datagram, if wrongly released by this
    // permission, would have been sent to A before the CreatePermission answer's microtask ended.
    other.socket.send(Buffer.from('from the other peer'), ra.relayed.port, ra.relayed.address);
    await waitFor(() => got.includes('from the other peer'), 5000, 'the other peer\'s datagram');
    expect(got).toEqual(['from the other peer']);
    await a.createPermission(rb.relayed.address);
    await waitFor(() => got.includes('for A from B'), 5000, 'the held datagram');
    expect(got).toEqual(['from the other peer', 'for A from B']);
  });

  it('holds at most 8 datagrams per allocation (a flood before the permission is discarded)', async () => {
    const { relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], permissionHoldMs: 500 });
    cleanups.push(() => relay.stop());
    const { a, rb, got, send } = await pair(addr);
    await send(...Array.from({ length: 20 }, (_, i) => `d${i}`));
    await permitThenMarker(a, send, got, rb.relayed.address);
    expect(got).toEqual([...Array.from({ length: 8 }, (_, i) => `d${i}`), 'marker']);
  });
});
