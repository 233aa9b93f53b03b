/**
 * Smoke test of the relay benchmark (bench/turn): `run.ts --quick` must start and stop every
 * server, and produce numeric figures for each. No performance thresholds. coturn is required:
 * without /usr/bin/turnserver this test fails (it does not skip).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult, ServerResult } from '../../bench/turn/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const COTURN = '/usr/bin/turnserver';
const oursExists = existsSync(join(root, 'turn/relay.ts'));

function expectNumber(v: unknown, what: string): void {
  expect(typeof v === 'number' && Number.isFinite(v), `${what} = ${String(v)} is not a finite number`).toBe(true);
}

function expectFigures(s: ServerResult): void {
  expect(s.error, `${s.name}: ${s.error}`).toBeUndefined();
  const a = s.alloc!;
  expect(a, `${s.name}: no allocation figures`).toBeDefined();
  for (const k of ['rssIdle', 'rssWith', 'socketsIdle', 'socketsWith', 'socketsAfterFree', 'allocationsPerSecond', 'cpuPerAllocationUs'] as const) {
    expectNumber(a[k], `${s.name} alloc.${k}`);
  }
  expect(a.rssIdle).toBeGreaterThan(0);
  expectPathFigures(s);
}

/** Every path of `s` ran at least one step with numeric figures. */
function expectPathFigures(s: ServerResult): void {
  expect(s.error, `${s.label}: ${s.error}`).toBeUndefined();
  expect(s.paths.length, `${s.name}: no data paths measured`).toBeGreaterThan(0);
  expect(s.relayToRelay.length, `${s.name}: no relay-to-relay figures`).toBeGreaterThan(0);
  for (const p of [...s.paths, ...s.relayToRelay]) {
    const first = p.result.steps[0];
    expect(first, `${s.name} ${p.mode} ${p.size}: no step ran`).toBeDefined();
    for (const k of ['sent', 'received', 'loss', 'cpuUs', 'cpuPct'] as const) expectNumber(first![k], `${s.name} ${p.mode} ${p.size} ${k}`);
    expect(first!.sent).toBeGreaterThan(0);
  }
}

describe('bench/turn --quick', () => {
  it('coturn is installed (the benchmark compares against it)', () => {
    expect(existsSync(COTURN), `coturn is missing: ${COTURN} not found (apt-get install coturn)`).toBe(true);
  });

  it('runs every server and reports numeric figures for each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-turn-smoke-'));
    const out = join(dir, 'turn.json');
    try {
      // --workers 2: the worker rows too (a pool of two, at the first rate only), a second or two.
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/turn/run.ts'), '--quick', '--workers', '2', '--out', out], {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.status, `run.ts exited with ${r.status}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('### Goals');
      const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
      const names = result.servers.map((s) => s.name);
      expect(names).toEqual(['ours', 'ours6', 'coturn', 'nodeturn', 'bare']);
      for (const name of ['coturn', 'nodeturn', 'bare'] as const) expectFigures(result.servers.find((s) => s.name === name)!);
      // ours6: the IPv6 rows (our relay, its clients and echo peer on ::1).
      for (const name of ['ours', 'ours6'] as const) {
        const ours = result.servers.find((s) => s.name === name)!;
        if (oursExists) expectFigures(ours);
        else expect(ours.error).toMatch(/does not exist/);
      }
      expect(result.meta.loadStart).toMatch(/^\d/);
      expect(result.workers?.map((w) => w.label)).toEqual([expect.stringMatching(/^switchboard, 2 workers/)]);
      for (const w of result.workers!) expectPathFigures(w);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
