/**
 * CI smoke of the cluster benchmark (bench/cluster, issue 18) in quick mode: one Redis, two nodes
 * behind nginx, both adapters, with and without room affinity, 4 s each. No timing threshold; what
 * it checks is structural and holds on any machine: with affinity no signal crosses nodes or
 * touches Redis; without it about half do (two nodes, peers placed by address), and then the
 * classic adapter delivers each to both nodes where the sharded one delivers it to one.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);

interface Row {
  nodes: number;
  adapter: string;
  affinity: boolean;
  perSecond: number;
  crossNodePct: number;
  publishedPerSignal: number;
  receivedPerSignal: number;
  cpuUsPerSignal: number;
  p99: number;
}

describe('cluster benchmark smoke (quick mode)', () => {
  it('prints the table, and affinity and sharding do what they are for', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/cluster/run.ts', '--quick'], { cwd: ROOT, timeout: 200_000 }).catch((e: { message: string; stdout?: string; stderr?: string }) => {
      throw new Error(`bench/cluster/run.ts --quick failed: ${e.message}\n${e.stdout ?? ''}\n${(e.stderr ?? '').slice(-3000)}`);
    });
    expect(stdout).toMatch(/\| 2 \| 200 \| 40 \| sharded \| on \| \d+ \|/);
    const { rows } = JSON.parse(readFileSync(new URL('bench/results/quick/cluster.json', ROOT), 'utf8')) as { rows: Row[] };
    const row = (adapter: string, affinity: boolean) => rows.find((r) => r.adapter === adapter && r.affinity === affinity)!;
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.perSecond, JSON.stringify(r)).toBeGreaterThan(50);
      expect(Number.isFinite(r.cpuUsPerSignal) && Number.isFinite(r.p99)).toBe(true);
    }
    for (const adapter of ['sharded', 'classic']) {
      expect(row(adapter, true).crossNodePct, stdout).toBe(0);
      expect(row(adapter, true).publishedPerSignal, stdout).toBeLessThan(0.01);
      expect(row(adapter, false).crossNodePct, stdout).toBeGreaterThan(20);
      expect(row(adapter, false).crossNodePct, stdout).toBeLessThan(80);
    }
    // Per signal that crossed: one message published; received by one node (sharded) or by every node (classic).
    const perCrossed = (r: Row) => r.receivedPerSignal / (r.crossNodePct / 100);
    expect(perCrossed(row('sharded', false)), stdout).toBeGreaterThan(0.8);
    expect(perCrossed(row('sharded', false)), stdout).toBeLessThan(1.3);
    expect(perCrossed(row('classic', false)), stdout).toBeGreaterThan(1.7);
    expect(perCrossed(row('classic', false)), stdout).toBeLessThan(2.3);
  }, 200_000);
});
