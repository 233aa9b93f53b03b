/**
 * Data channel file transfer in Chromium, MB/s between two pages, direct and relayed:
 * Switchboard's file transfer (its UI: file input, target, "Send file"; chunking, backpressure,
 * incremental SHA-256 on both sides, verdict) against a bare RTCDataChannel page (bare-page.ts:
 * the same message size and backpressure, no hashing: the browser's limit). Runs interleaved.
 *
 *   npx tsx bench/browser/datachannel.ts [--quick] [--mb 50] [--runs 3]
 *
 * Each run: two fresh contexts, connected (Switchboard: /r/<room>, `?relay=1` for relayed; bare:
 * Node hands the complete SDP from one page to the other), random bytes made in the sending page
 * before the clock starts, then, on the sending page's clock (performance.now()):
 * - Switchboard: from the click on "Send file" to the sender's transfer state `done` (the receiver
 *   got every byte, compared SHA-256 and its `file-done` came back);
 * - bare: from the first `send()` to the receiver's `done` message (sent when it counted every byte).
 * MB = 2^20 bytes. Goal: Switchboard at least 80% of the bare page's MB/s (PASS/FAIL, informational).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { barChartSvg } from '../lib/chart.js';
import { machine, table, writeResult } from '../lib/proc.js';
import { type BrowserBench, MODES, type Mode, median, poll, setupBrowserBench } from './harness.js';

const { values: a } = parseArgs({ options: { quick: { type: 'boolean', default: false }, mb: { type: 'string' }, runs: { type: 'string' } } });
const quick = a.quick!;
const MB = Number(a.mb ?? (quick ? 2 : 50));
const RUNS = Number(a.runs ?? (quick ? 1 : 3));
const SIZE = Math.round(MB * 2 ** 20);
const GOAL = 0.8;

type System = 'switchboard' | 'bare';
const SYSTEMS: System[] = ['switchboard', 'bare'];
const LABEL: Record<System, string> = { switchboard: 'Switchboard', bare: 'bare RTCDataChannel' };

interface Run { system: System; mode: Mode; ms: number; mbps: number; path: { local: string; remote: string } | null }

type SbState = { status: string; selfId: string | null; peers: Array<{ conn: string }>; transfers: Array<{ direction: string; state: string; verified: boolean | null; error: string | null; size: number }> };
const sbState = (p: Page) => p.evaluate(() => (window as unknown as { switchboard: { state(): SbState } }).switchboard.state());
const pathOf = (p: Page) => p.evaluate(() => (window as unknown as { __bench: { path(): Promise<{ local: string; remote: string } | null> } }).__bench.path());

async function switchboardRun(b: BrowserBench, relay: boolean, sender: Page, receiver: Page): Promise<number> {
  const room = `dc-${randomBytes(4).toString('hex')}`;
  const url = `${b.sbBase}/r/${room}${relay ? '?relay=1' : ''}`;
  await sender.goto(url);
  await poll('sender joined', async () => (await sbState(sender)).status === 'joined', 20_000);
  await receiver.goto(url);
  const connected = async (p: Page) => poll('connected', async () => {
    const s = await sbState(p);
    return s.peers.some((x) => x.conn === 'connected') ? s : null;
  }, 30_000);
  await connected(sender);
  const { selfId } = await connected(receiver);
  await poll('receiver offered as a target', () => sender.locator(`[data-testid=file-target] option[value="${selfId}"]`).count());
  await sender.selectOption('[data-testid=file-target]', selfId!);
  // The file is made in the page (through setInputFiles 50 MB would cost many seconds of CDP).
  await sender.evaluate((n) => {
    const bytes = new Uint8Array(n);
    for (let off = 0; off < n; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
    const input = document.querySelector('[data-testid=file-input]') as HTMLInputElement;
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'bench.bin', { type: 'application/octet-stream' }));
    input.files = dt.files;
  }, SIZE);
  const r = await sender.evaluate(async (timeoutMs) => {
    const sb = (window as unknown as { switchboard: { state(): SbState } }).switchboard;
    const t0 = performance.now();
    (document.querySelector('[data-testid=file-send]') as HTMLButtonElement).click();
    for (;;) {
      const t = sb.state().transfers.find((x) => x.direction === 'out');
      if (t && t.state !== 'sending' && t.state !== 'verifying') return { ms: performance.now() - t0, ...t };
      if (performance.now() - t0 > timeoutMs) return { ms: NaN, state: 'timeout', verified: null, error: `not done within ${timeoutMs} ms`, size: 0, direction: 'out' };
      await new Promise((res) => setTimeout(res, 5));
    }
  }, 60_000 + SIZE / 5_000);
  if (r.state !== 'done' || r.verified !== true) throw new Error(`Switchboard transfer ended ${r.state} (verified ${r.verified}): ${r.error}`);
  const got = (await sbState(receiver)).transfers.find((x) => x.direction === 'in');
  if (got?.state !== 'done' || got.verified !== true || got.size !== SIZE) throw new Error(`receiver: ${JSON.stringify(got)}`);
  return r.ms;
}

async function bareRun(b: BrowserBench, relay: boolean, sender: Page, receiver: Page): Promise<number> {
  const url = `${b.pagesBase}/bare.html${relay ? '?relay=1' : ''}`;
  await Promise.all([sender.goto(url), receiver.goto(url)]);
  type Bare = { open: boolean; offer(): Promise<string>; answer(s: string): Promise<string>; accept(s: string): Promise<void>; send(n: number): Promise<number> };
  const offer = await sender.evaluate(() => (window as unknown as { bare: Bare }).bare.offer());
  const answer = await receiver.evaluate((sdp) => (window as unknown as { bare: Bare }).bare.answer(sdp), offer);
  await sender.evaluate((sdp) => (window as unknown as { bare: Bare }).bare.accept(sdp), answer);
  for (const p of [sender, receiver]) await poll('bare channel open', () => p.evaluate(() => (window as unknown as { bare: Bare }).bare.open), 30_000);
  return sender.evaluate((n) => (window as unknown as { bare: Bare }).bare.send(n), SIZE);
}

const bench = await setupBrowserBench('datachannel');
const runs: Run[] = [];
const failures: Array<{ system: System; mode: Mode; error: string }> = [];
try {
  for (let i = 0; i < RUNS; i++) {
    for (const mode of MODES) {
      for (const system of i % 2 ? [...SYSTEMS].reverse() : SYSTEMS) {
        const s = await bench.newPage();
        const r = await bench.newPage();
        try {
          const ms = await (system === 'switchboard' ? switchboardRun : bareRun)(bench, mode === 'relayed', s.page, r.page);
          const path = await pathOf(s.page);
          if (mode === 'relayed' && !path?.local.startsWith('relay') && !path?.remote.startsWith('relay')) throw new Error(`relayed run not on a relay path: ${JSON.stringify(path)}`);
          runs.push({ system, mode, ms, mbps: SIZE / 2 ** 20 / (ms / 1000), path });
          if (!quick) console.error(`[datachannel] ${system} ${mode}: ${(SIZE / 2 ** 20 / (ms / 1000)).toFixed(1)} MB/s`);
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          failures.push({ system, mode, error: msg });
          console.error(`[datachannel] ${system} ${mode} run ${i} failed: ${msg}\nsender console: ${s.logs.slice(-8).join('\n')}\nreceiver console: ${r.logs.slice(-8).join('\n')}`);
          if (failures.length > 3) throw new Error(`too many failed runs (${failures.length})`);
        } finally {
          await s.context.close().catch(() => undefined);
          await r.context.close().catch(() => undefined);
        }
      }
    }
  }
} finally {
  await bench.close();
}

interface Row { system: System; mode: Mode; runs: number; failed: number; mbps: number; min: number; max: number; seconds: number; paths: string }
const rows: Row[] = [];
for (const mode of MODES) {
  for (const system of SYSTEMS) {
    const rs = runs.filter((r) => r.system === system && r.mode === mode);
    rows.push({
      system, mode, runs: rs.length, failed: failures.filter((f) => f.system === system && f.mode === mode).length,
      mbps: median(rs.map((r) => r.mbps)), min: Math.min(...rs.map((r) => r.mbps)), max: Math.max(...rs.map((r) => r.mbps)),
      seconds: median(rs.map((r) => r.ms)) / 1000,
      paths: [...new Set(rs.map((r) => (r.path ? `${r.path.local}/${r.path.remote}` : 'unknown')))].join(', '),
    });
  }
}
const date = new Date().toISOString();
console.log(`\n## Data channel transfer (${date}, ${machine()})\n`);
console.log(`${MB} MB (${SIZE} bytes) per run, ${RUNS} run(s) per system and path, median MB/s (MB = 2^20 bytes).\n`);
console.log(table(['system', 'path', 'runs', 'failed', 'median MB/s', 'min MB/s', 'max MB/s', 'median s', 'selected pair (local/remote)'],
  rows.map((r) => [LABEL[r.system], r.mode, r.runs, r.failed, r.mbps, r.min, r.max, r.seconds, r.paths])));
const verdicts: string[] = [];
for (const mode of MODES) {
  const sb = rows.find((r) => r.system === 'switchboard' && r.mode === mode)!;
  const bare = rows.find((r) => r.system === 'bare' && r.mode === mode)!;
  const ratio = sb.mbps / bare.mbps;
  verdicts.push(`Data channel ${mode}: Switchboard ${sb.mbps.toFixed(1)} MB/s = ${(ratio * 100).toFixed(0)}% of the bare page's ${bare.mbps.toFixed(1)} MB/s (goal >= ${GOAL * 100}%: ${Number.isFinite(ratio) && ratio >= GOAL ? 'PASS' : 'FAIL'})`);
}
console.log(`\n${verdicts.join('\n')}`);
if (failures.length) console.log(`\n${failures.length} failed run(s): ${failures.map((f) => `${f.system} ${f.mode}: ${f.error.split('\n')[0]}`).join('; ')}`);

writeResult('datachannel.json', quick, JSON.stringify({ date, machine: machine(), mb: MB, bytes: SIZE, runs: RUNS, goal: GOAL, rows, failures, raw: runs }, null, 2));
writeResult('datachannel.svg', quick, barChartSvg({
  title: `Data channel transfer in Chromium, ${MB} MB (median of ${RUNS})`,
  unit: 'MB/s (higher is better)',
  groups: MODES,
  series: SYSTEMS.map((s) => ({ name: LABEL[s], values: MODES.map((m) => rows.find((x) => x.system === s && x.mode === m)!.mbps) })),
}));
if (runs.length === 0) process.exitCode = 1;
