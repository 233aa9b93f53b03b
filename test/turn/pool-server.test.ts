/**
 * The signaling server with a relay of two workers (TURN_WORKERS=2): both peers of a room get the
 * same worker's ports, their relayed exchange stays in that worker, rooms spread over the workers,
 * /metrics stays one family per name with a `worker` label, and bad TURN_WORKERS values are refused.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import type { IceServer } from '../../server/protocol/index.js';
import { TurnClient } from '../../turn/client/index.js';
import { loadRelayConfig } from '../../turn/env.js';
import type { RelayPool } from '../../turn/pool.js';
import { promtool, startRelayServer } from '../observability/scrape.js';
import { join } from '../signaling/harness.js';
import { samples, value } from '../support/prom-text.js';

/** The TURN entry of an iceServers list and the UDP port its URLs name. */
function turnOf(ice: IceServer[]): { server: IceServer; port: number } {
  const server = ice.find((s) => s.username)!;
  const udp = server.urls.find((u) => u.startsWith('turn:') && u.endsWith('transport=udp'))!;
  return { server, port: Number(/:(\d+)\?/.exec(udp)![1]) };
}

async function turnClient(ice: IceServer[]): Promise<TurnClient> {
  const { server, port } = turnOf(ice);
  const c = await TurnClient.connect({ host: '127.0.0.1', port, username: server.username!, password: server.credential!, rto: 100, timeout: 10_000 });
  c.on('error', () => undefined);
  return c;
}

describe('the server with TURN_WORKERS=2', () => {
  it("gives a room's two peers one worker, relays between them inside it, spreads rooms, and serves valid /metrics", async () => {
    const srv = await startRelayServer({ TURN_WORKERS: '2', TURN_MIN_PORT: '31000', TURN_MAX_PORT: '31999', TURN_URLS: '' });
    const pool = srv.app.relay() as RelayPool;
    const workerPorts = pool.addresses!.workers!.map((w) => w.udp.port);
    expect(workerPorts).toHaveLength(2);
    expect(workerPorts[0]).not.toBe(workerPorts[1]);

    // Both peers of the room, through their join answers, get the same worker's port.
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'pool-room');
    const jb = await join(b, 'pool-room');
    const pa = turnOf(ja.iceServers).port;
    expect(turnOf(jb.iceServers).port).toBe(pa);
    const mine = workerPorts.indexOf(pa);
    expect(mine).toBeGreaterThanOrEqual(0);

    // A relayed exchange between them (relay-to-relay): one worker carries all of it.
    const [ca, cb] = await Promise.all([turnClient(ja.iceServers), turnClient(jb.iceServers)]);
    try {
      const [ra, rb] = await Promise.all([ca.allocate(), cb.allocate()]);
      await ca.createPermission(rb.relayed.address);
      await cb.createPermission(ra.relayed.address);
      const got = new Promise<Buffer>((resolve, reject) => {
        cb.once('data', (d: Buffer) => resolve(d));
        setTimeout(() => reject(new Error('B got nothing within 10 s')), 10_000).unref();
      });
      ca.send({ address: rb.relayed.address, port: rb.relayed.port }, Buffer.from('same worker'));
      expect((await got).toString()).toBe('same worker');
      const stats = await Promise.all(pool.workers.map((w) => w.stats()));
      expect(stats[mine]).toMatchObject({ allocations: 2, packetsToPeers: 1, packetsToClients: 1 });
      expect(stats[1 - mine]).toMatchObject({ allocations: 0, packetsToPeers: 0, packetsToClients: 0 });
      expect(await srv.app.relay()!.stats()).toMatchObject({ allocations: 2, packetsToPeers: 1, packetsToClients: 1 });

      // Rooms spread over both workers (rendezvous hashing of the room name).
      const ports = new Set<number>();
      for (let i = 0; i < 16; i++) {
        const res = await fetch(`${srv.url}/api/ice-servers?room=spread-${i}`);
        ports.add(turnOf(((await res.json()) as { iceServers: IceServer[] }).iceServers).port);
      }
      expect([...ports].sort()).toEqual([...workerPorts].sort());

      // /metrics: one family per name; the relay's counts summed, each worker's series labelled.
      const { text, families } = await srv.scrape();
      expect(value(families, 'switchboard_turn_allocations')).toBe(2);
      expect(value(families, 'switchboard_turn_up')).toBe(1);
      expect(value(families, 'switchboard_turn_allocation_quota')).toBe(40);
      for (const w of ['0', '1']) {
        expect(value(families, 'switchboard_turn_worker_up', { worker: w })).toBe(1);
        expect(value(families, 'process_resident_memory_bytes', { process: 'relay', worker: w })).toBeGreaterThan(10e6);
      }
      expect(samples(families, 'switchboard_turn_allocate_seconds_count', { worker: String(mine), result: 'success' }).length).toBe(1);
      expect(samples(families, 'switchboard_turn_allocate_seconds_count', { worker: String(1 - mine) })).toEqual([]);
      expect(text.match(/^# TYPE process_resident_memory_bytes /gm)).toHaveLength(1);
      const checked = promtool(['check', 'metrics'], text);
      expect(checked.status, checked.output).not.toBe(1);
    } finally {
      await Promise.all([ca.close(), cb.close()]);
    }
  }, 60_000);
});

describe('TURN_WORKERS validation', () => {
  it('refuses values outside 1..64 and splits that cannot be made, naming the variable', () => {
    for (const bad of ['0', '65', '1.5', 'many', '-2']) {
      expect(() => loadRelayConfig({ TURN_WORKERS: bad }), bad).toThrow(/TURN_WORKERS: /);
      expect(() => loadConfig({ TURN_WORKERS: bad }), bad).toThrow(/TURN_WORKERS: /);
    }
    expect(() => loadRelayConfig({ TURN_WORKERS: '4', TURN_MIN_PORT: '50000', TURN_MAX_PORT: '50002' })).toThrow(/TURN_WORKERS: is more than the 3 relay ports/);
    expect(() => loadRelayConfig({ TURN_WORKERS: '4', TURN_TOTAL_QUOTA: '3' })).toThrow(/TURN_WORKERS: is more than TURN_TOTAL_QUOTA/);
    expect(() => loadRelayConfig({ TURN_WORKERS: '2', TURN_PORT: '65535' })).toThrow(/TURN_WORKERS: needs ports 65535\.\.65536/);
    expect(() => loadRelayConfig({ TURN_WORKERS: '2', TURN_PORT: '5000', TURN_TLS_PORT: '5001', TURN_TLS_CERT: 'c', TURN_TLS_KEY: 'k' })).toThrow(/TURN_WORKERS: makes the TCP ports/);
    expect(loadRelayConfig({ TURN_WORKERS: '64' }).config.workers).toBe(64);
  });

  it('defaults to the number of cores', async () => {
    const { availableParallelism } = await import('node:os');
    expect(loadRelayConfig({}).config.workers).toBe(Math.min(64, availableParallelism()));
    expect(loadConfig({}).relay.workers).toBe(Math.min(64, availableParallelism()));
  });
});
