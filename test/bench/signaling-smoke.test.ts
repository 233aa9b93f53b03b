/**
 * CI smoke of the signaling and connection benchmarks (and the signaling latency probe): a few seconds each, no thresholds. It checks
 * they still run end to end and print figures, so they cannot rot.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);

async function bench(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--quick', ...args], { cwd: ROOT, timeout: 120_000 });
  return stdout;
}

describe('benchmark smoke (quick mode)', () => {
  it('signaling throughput prints a table for Switchboard, the minimal Socket.IO relay and the bare relay', async () => {
    const out = await bench('bench/signaling/run.ts', '--clients', '100');
    expect(out).toMatch(/\| switchboard \| 100 \| \d+ \|/);
    expect(out).toMatch(/\| socketio \| 100 \| \d+ \|/);
    expect(out).toMatch(/\| bare \| 100 \| \d+ \|/);
    expect(out).toMatch(/the minimal Socket\.IO relay at \d+% of the bare relay/);
    const json = JSON.parse(readFileSync(new URL('bench/results/quick/signaling.json', ROOT), 'utf8')) as { rows: Array<{ server: string; maxMsgs: number }> };
    expect(json.rows.map((r) => r.server).sort()).toEqual(['bare', 'socketio', 'switchboard']);
    for (const r of json.rows) expect(r.maxMsgs).toBeGreaterThan(0);
    expect(readFileSync(new URL('bench/results/quick/signaling.svg', ROOT), 'utf8')).toContain('<svg');
  }, 120_000);

  it('the latency probe lines slow messages up with the server\'s stalls and prints its figures', async () => {
    const out = await bench('bench/signaling/stalls.ts', '--server', 'switchboard');
    expect(out).toMatch(/- delivered \d+ of \d+; p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(out).toMatch(/machine busy \d+%, host steal [\d.]+%/);
    expect(out).toMatch(/- server: \d+ GC pauses/);
    const json = JSON.parse(readFileSync(new URL('bench/results/quick/stalls-switchboard.json', ROOT), 'utf8')) as { delivered: number; sent: number };
    expect(json.delivered).toBeGreaterThan(0);
    expect(json.delivered).toBeLessThanOrEqual(json.sent);
  }, 120_000);

  it('connections prints memory per socket', async () => {
    const out = await bench('bench/connections/run.ts', '--clients', '200');
    expect(out).toMatch(/Memory per connected, joined socket: [\d.]+ KB/);
    const json = JSON.parse(readFileSync(new URL('bench/results/quick/connections.json', ROOT), 'utf8')) as { after: { sockets: number } };
    expect(json.after.sockets).toBe(200);
  }, 120_000);
});
