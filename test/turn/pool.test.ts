/**
 * The relay on every core (turn/pool.ts, turn/workers.ts): TURN_WORKERS child processes, one port
 * each, disjoint relay-port slices, each restarted on its own; the standalone relay with workers.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TurnClient } from '../../turn/client/index.js';
import { startRelayPool, type RelayPool } from '../../turn/pool.js';
import type { RelayAddresses, RelayStats } from '../../turn/types.js';
import { mergeFamilies, portSlice, quotaShare, sumStats, workerConfig } from '../../turn/workers.js';
import { creds, testConfig, waitFor } from './helpers.js';

const MIN = 30000;
const MAX = 30999;

async function clientOf(w: RelayAddresses): Promise<TurnClient> {
  const c = await TurnClient.connect({ host: '127.0.0.1', port: w.udp.port, ...creds(), rto: 100, timeout: 10_000 });
  c.on('error', () => undefined);
  return c;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('turn/workers.ts: what the workers share', () => {
  it('cuts the relay ports into disjoint slices covering the range, and the total quota into shares', () => {
    const slices = [0, 1, 2].map((i) => portSlice(49152, 65535, i, 3));
    expect(slices[0]!.min).toBe(49152);
    expect(slices[2]!.max).toBe(65535);
    for (let i = 1; i < 3; i++) expect(slices[i]!.min).toBe(slices[i - 1]!.max + 1);
    expect(() => portSlice(5000, 5001, 0, 3)).toThrow(/cannot be split/);
    expect([0, 1, 2].map((i) => quotaShare(1000, i, 3))).toEqual([334, 333, 333]);
    const w1 = workerConfig(testConfig({ port: 3478, tlsPort: 5349, workers: 2 }), 1, 2);
    expect([w1.port, w1.tlsPort, w1.minPort, w1.maxPort, w1.totalQuota, w1.workers]).toEqual([3479, 5350, 40000, 59999, 500, 1]);
    expect(workerConfig(testConfig({ port: 0, tlsPort: 0 }), 1, 2)).toMatchObject({ port: 0, tlsPort: 0 });
  });

  it('adds stats up and merges families one per name, each sample labelled with its worker', () => {
    const a = { allocations: 2, packetsToPeers: 10 } as RelayStats;
    const b = { allocations: 3, packetsToPeers: 5 } as RelayStats;
    expect(sumStats([a, b])).toEqual({ allocations: 5, packetsToPeers: 15 });
    const fam = (v: number) => [{ name: 'x_total', help: 'h', type: 'counter' as const, values: [{ value: v, labels: { code: '401' } }] }];
    const merged = mergeFamilies([fam(1), undefined, fam(3)]);
    expect(merged.map((f) => f.name)).toEqual(['x_total', 'switchboard_turn_worker_up']);
    expect(merged[0]!.values).toEqual([
      { value: 1, labels: { code: '401', worker: '0' } },
      { value: 3, labels: { code: '401', worker: '2' } },
    ]);
    expect(merged[1]!.values.map((v) => [v.labels.worker, v.value])).toEqual([['0', 1], ['1', 0], ['2', 1]]);
  });
});

describe('startRelayPool', () => {
  it('two workers on distinct ports and relay-port slices; one killed restarts alone, the other keeps its allocations; stop ends both', async () => {
    const pool: RelayPool = startRelayPool(testConfig({ workers: 2, minPort: MIN, maxPort: MAX }), { restartDelay: () => 50 });
    const clients: TurnClient[] = [];
    try {
      const addrs = await pool.start();
      const [w0, w1] = addrs.workers!;
      expect(addrs.workers).toHaveLength(2);
      expect(addrs.udp).toEqual(w0!.udp);
      expect(w0!.udp.port).not.toBe(w1!.udp.port);
      const [pid0, pid1] = pool.pids as [number, number];
      expect(pid0).not.toBe(pid1);
      expect([pid0, pid1]).not.toContain(process.pid);

      // Each worker allocates from its own half of MIN..MAX.
      const created: string[] = [];
      pool.on('allocation-created', (e) => created.push(e.relayed));
      const [c0, c1] = await Promise.all([clientOf(w0!), clientOf(w1!)]);
      clients.push(c0, c1);
      const [r0, r1] = await Promise.all([c0.allocate(), c1.allocate()]);
      expect(r0.relayed.port).toBeGreaterThanOrEqual(MIN);
      expect(r0.relayed.port).toBeLessThanOrEqual(MIN + 499);
      expect(r1.relayed.port).toBeGreaterThanOrEqual(MIN + 500);
      expect(r1.relayed.port).toBeLessThanOrEqual(MAX);
      // Allocation events come from every worker.
      await waitFor(() => created.length === 2, 10_000, 'allocation events of both workers');
      expect(created.sort()).toEqual([`127.0.0.1:${r0.relayed.port}`, `127.0.0.1:${r1.relayed.port}`].sort());
      expect((await pool.stats()).allocations).toBe(2);
      expect(await Promise.all(pool.workers.map(async (w) => (await w.stats()).allocations))).toEqual([1, 1]);

      // Worker 0 dies: only it restarts (same port, fresh state); worker 1 and its allocation live on.
      const exited = new Promise((r) => pool.once('child-exit', r));
      const restarted = new Promise((r) => pool.once('child-restarted', r));
      process.kill(pid0, 'SIGKILL');
      expect(await exited).toMatchObject({ worker: 0, signal: 'SIGKILL', willRestart: true });
      expect(await restarted).toMatchObject({ worker: 0, addresses: { udp: { port: w0!.udp.port } } });
      expect(pool.pids[0]).not.toBe(pid0);
      expect(pool.pids[1]).toBe(pid1);
      expect((await pool.workers[0]!.stats()).allocations).toBe(0);
      expect((await pool.workers[1]!.stats()).allocations).toBe(1);
      expect(await c1.refresh(600)).toBe(600);
      expect((await pool.stats()).allocations).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      const pids = pool.pids.filter((p): p is number => p !== undefined);
      await pool.stop();
      for (const pid of pids) expect(alive(pid), `worker ${pid} still running after stop`).toBe(false);
    }
  }, 60_000);

  it("data to another worker's relayed address is dropped, like any port of the relay address this worker does not own", async () => {
    const pool = startRelayPool(testConfig({ workers: 2, minPort: MIN, maxPort: MAX }));
    const clients: TurnClient[] = [];
    try {
      const [w0, w1] = (await pool.start()).workers!;
      const [a, b, c] = await Promise.all([clientOf(w0!), clientOf(w1!), clientOf(w0!)]);
      clients.push(a, b, c);
      const [, rb, rc] = await Promise.all([a.allocate(), b.allocate(), c.allocate()]);
      await a.createPermission(rb.relayed.address);
      await c.createPermission(rb.relayed.address);
      const got = new Promise<Buffer>((resolve, reject) => {
        c.once('data', (d: Buffer) => resolve(d));
        setTimeout(() => reject(new Error('C got nothing within 10 s')), 10_000).unref();
      });
      // To B (worker 1) first, then to C (worker 0, the same address): worker 0 handles them in
      // order, so once C has its packet worker 0 has decided about B's, and counts only what it
      // delivered (allocation.ts).
      a.send({ address: rb.relayed.address, port: rb.relayed.port }, Buffer.from('to another worker'));
      a.send({ address: rc.relayed.address, port: rc.relayed.port }, Buffer.from('same worker'));
      expect((await got).toString()).toBe('same worker');
      const [s0, s1] = await Promise.all(pool.workers.map((w) => w.stats()));
      expect([s0!.packetsToPeers, s0!.packetsToClients, s1!.packetsToClients]).toEqual([1, 1, 0]);
    } finally {
      await Promise.all(clients.map((x) => x.close()));
      await pool.stop();
    }
  }, 60_000);
});

describe('npm run turn with TURN_WORKERS=2', () => {
  it('starts two workers on two ports, and SIGTERM stops both', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
      env: { ...process.env, TURN_WORKERS: '2', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_SECRET: 'x'.repeat(20), TURN_MIN_PORT: String(MIN + 1000), TURN_MAX_PORT: String(MAX + 1000), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitFor(() => out.includes('turn relay started'), 30_000, 'start log');
    const started = JSON.parse(out.split('\n').find((l) => l.includes('turn relay started'))!) as { workers: RelayAddresses[]; pids: number[] };
    expect(started.workers).toHaveLength(2);
    expect(started.pids).toHaveLength(2);
    expect(new Set(started.workers.map((w) => w.udp.port)).size).toBe(2);
    for (const w of started.workers) {
      const c = await TurnClient.connect({ host: '127.0.0.1', port: w.udp.port, rto: 100 });
      await c.binding();
      await c.close();
    }
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"stopped"');
    for (const pid of started.pids) expect(alive(pid), `worker ${pid} outlived SIGTERM`).toBe(false);
  }, 60_000);
});
