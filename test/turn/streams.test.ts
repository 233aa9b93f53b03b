/**
 * Stream hardening and clocks: the per-IP connection cap, the bound on a connection without an
 * allocation whatever it sends, the bound on send queues, lifetimes on a monotonic clock.
 */
import type dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TurnClient } from '../../turn/client/index.js';
import { boundedSend } from '../../turn/transport/send-queue.js';
import type { RelayStats } from '../../turn/types.js';
import { PEER_IP, client, creds, fakeClock, startRelay, udpPeer, waitFor } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(stops.splice(0).map((s) => s()));
});

async function relayWith(...args: Parameters<typeof startRelay>) {
  const r = await startRelay(...args);
  stops.push(() => r.relay.stop());
  return r;
}

function rawTcp(port: number): Promise<net.Socket & { gone: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }) as net.Socket & { gone: Promise<void> };
    s.gone = new Promise((r) => s.once('close', () => r()));
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    stops.push(async () => void s.destroy());
  });
}

describe('per-IP connection cap (TURN_MAX_CONNECTIONS_PER_IP)', () => {
  it('closes connections over the cap at accept; a freed slot is usable again', async () => {
    const { relay, addr } = await relayWith({ maxConnectionsPerIp: 3 });
    const held = await Promise.all([rawTcp(addr.tcp.port), rawTcp(addr.tcp.port), rawTcp(addr.tcp.port)]);
    await waitFor(() => relay.internals.streamConnections === 3, 5000, 'three connections accepted');
    const over = await rawTcp(addr.tcp.port);
    await over.gone; // closed by the relay
    expect((await relay.stats()).streamsClosed).toBe(1);
    expect(held.every((s) => !s.destroyed)).toBe(true);
    held[0]!.destroy();
    await waitFor(() => relay.internals.streamConnections === 2, 5000, 'slot freed');
    const c = await client(addr, { transport: 'tcp' });
    expect((await c.binding()).address).toBe('127.0.0.1');
    await c.allocate();
    await c.close();
  });
});

describe('a connection without an allocation', () => {
  it('is closed after streamUnallocatedMs whatever it sends; one with an allocation stays until it ends', async () => {
    const clock = fakeClock();
    const { relay, addr } = await relayWith({}, { now: clock.now, streamUnallocatedMs: 5000, sweepIntervalMs: 3_600_000 });
    const busy = await client(addr, { transport: 'tcp' });
    const alloc = await client(addr, { transport: 'tcp' });
    await alloc.allocate();
    for (let i = 0; i < 3; i++) {
      await busy.binding(); // keeps it from being idle: not enough
      clock.advance(2000);
      relay.sweep();
    }
    await waitFor(() => relay.internals.streamConnections === 1, 5000, 'busy connection closed');
    await expect(busy.binding()).rejects.toThrow();
    // The allocated one stays; after Refresh(0) it has none, and the bound starts from there.
    clock.advance(60_000);
    relay.sweep();
    expect(await alloc.refresh(0)).toBe(0);
    relay.sweep();
    clock.advance(4000);
    relay.sweep();
    expect(relay.internals.streamConnections).toBe(1);
    clock.advance(1000);
    relay.sweep();
    await waitFor(() => relay.internals.streamConnections === 0, 5000, 'connection without allocation closed');
    expect((await relay.stats()).streamsClosed).toBe(2);
    await busy.close();
    await alloc.close();
  });
});

describe('send queues', () => {
  it('boundedSend drops and counts past the bound, sends below it', () => {
    const stats = { sendQueueDrops: 0 } as RelayStats;
    let queued = 0;
    const sent: number[] = [];
    const socket = { getSendQueueSize: () => queued, send: (_b: Buffer, _o: number, len: number) => sent.push(len) } as unknown as dgram.Socket;
    const bound = { limit: 1000, stats };
    boundedSend(socket, bound, Buffer.alloc(10), 0, 10, 9, '127.0.0.1');
    queued = 1000;
    boundedSend(socket, bound, Buffer.alloc(10), 0, 10, 9, '127.0.0.1');
    queued = 1001;
    boundedSend(socket, bound, Buffer.alloc(10), 0, 10, 9, '127.0.0.1');
    expect(sent).toEqual([10, 10]);
    expect(stats.sendQueueDrops).toBe(1);
  });

  it('a TCP client that stops reading: relayed data beyond the bound is dropped, not queued', async () => {
    const { relay, addr } = await relayWith({ allowPeers: ['127.0.0.0/8'] }, { streamHighWaterMark: 64 * 1024 });
    const peer = await udpPeer();
    stops.push(() => peer.close());
    const c = await client(addr, { transport: 'tcp' });
    const { relayed } = await c.allocate();
    await c.createPermission(PEER_IP);
    (c as unknown as { stream: net.Socket }).stream.pause();
    const chunk = Buffer.alloc(1200, 7);
    await waitFor(async () => {
      for (let i = 0; i < 200; i++) peer.socket.send(chunk, relayed.port, relayed.address);
      return (await relay.stats()).sendQueueDrops > 0;
    }, 30_000, 'drops at the stream bound');
    expect(relay.handlerErrors).toBe(0);
    await c.close();
  });
});

describe('lifetimes on a monotonic clock', () => {
  async function allocationSurvivesWallStep(opts: { now?: () => number }): Promise<number> {
    const { relay, addr } = await relayWith({}, { ...opts, sweepIntervalMs: 3_600_000 });
    const c = await TurnClient.connect({ host: '127.0.0.1', port: addr.udp.port, ...creds(), rto: 100 });
    stops.push(() => c.close());
    await c.allocate({ lifetime: 600 });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600_000); // the wall clock jumps two hours
    relay.sweep();
    return (await relay.stats()).allocations;
  }

  it('a wall-clock step expires nothing (default clock)', async () => {
    expect(await allocationSurvivesWallStep({})).toBe(1);
  });

  it('the same step expires it on a wall clock (so the test above can fail)', async () => {
    expect(await allocationSurvivesWallStep({ now: () => Date.now() })).toBe(0);
  });
});
