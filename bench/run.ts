/**
 * `npm run bench`: every benchmark in sequence, each in its own process, forwarding `--quick`:
 * relay (bench/turn), signaling throughput, connections (memory per socket), the cluster's
 * per-node cost (bench/cluster), call setup in
 * Chromium and data channel transfer in Chromium. Their tables are printed as they come; at the
 * end, a summary of every goal with PASS/FAIL (informational: the exit code is 0 when every
 * benchmark ran, 1 when one did not complete).
 *
 *   npm run bench [-- --quick]
 *   npx tsx bench/run.ts --turn-chart bench/results/turn-<date>.json   (only redraw turn.svg)
 *
 * Each benchmark writes JSON and an SVG chart under bench/results/ (with --quick:
 * bench/results/quick/, ignored by git). The relay benchmark writes only JSON; its chart
 * (turn.svg: loss-free rate per path and server) is drawn here from that JSON.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { barChartSvg } from './lib/chart.js';
import { ROOT, machine, writeResult } from './lib/proc.js';
import type { RunResult } from './turn/report.js';

const { values: a } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'turn-chart': { type: 'string' } } });
const quick = a.quick!;
const started = new Date();
const stamp = started.toISOString().replace(/:/g, '-').slice(0, 19);
const turnJson = a['turn-chart'] ?? `${ROOT}bench/results/${quick ? 'quick/turn.json' : `turn-${stamp}.json`}`;
/** A benchmark that wrote its results but has not exited this long after is stopped (see runOne). */
const LINGER_MS = 30_000;

const BENCHMARKS: Array<{ name: string; script: string; args: string[]; doneFile?: string; after?: () => void }> = [
  // bench/turn has been seen to stay alive after writing its JSON (an open socket after a failed
  // coturn step): its JSON file is its "done" signal.
  { name: 'relay', script: 'bench/turn/run.ts', args: ['--out', turnJson], doneFile: turnJson, after: () => turnChart() },
  { name: 'signaling', script: 'bench/signaling/run.ts', args: [] },
  { name: 'connections', script: 'bench/connections/run.ts', args: [] },
  { name: 'cluster', script: 'bench/cluster/run.ts', args: [] },
  { name: 'call setup', script: 'bench/browser/call-setup.ts', args: [] },
  { name: 'data channel', script: 'bench/browser/datachannel.ts', args: [] },
];

/**
 * Runs `script`, passing its stdout through; resolves with its exit code and the lines with a
 * verdict. With `doneFile`: once that file has been written (after the start), the child gets
 * LINGER_MS to exit, then it is stopped (SIGTERM, SIGKILL 5 s later) and counted as complete.
 */
function runOne(script: string, args: string[], doneFile?: string): Promise<{ code: number | null; verdicts: string[] }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...(quick ? ['--quick'] : []), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const verdicts: string[] = [];
    let lingered = false;
    let killTimer: NodeJS.Timeout | undefined;
    const watch = doneFile
      ? setInterval(() => {
          if (killTimer || !existsSync(doneFile) || statSync(doneFile).mtimeMs < t0) return;
          killTimer = setTimeout(() => {
            lingered = true;
            console.error(`[bench] ${script} wrote ${doneFile} but had not exited ${LINGER_MS / 1000} s later: stopping it`);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }, LINGER_MS);
        }, 1000)
      : undefined;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (/\b(PASS|FAIL)\b/.test(line) && !line.startsWith('|')) verdicts.push(line.replace(/^[-*]\s*/, ''));
      }
    });
    // Ctrl-C reaches the child too (same process group); wait for it to clean up.
    child.once('exit', (code) => {
      clearInterval(watch);
      clearTimeout(killTimer);
      if (lingered) verdicts.push(`note: ${script} did not exit on its own after writing its results (stopped ${LINGER_MS / 1000} s later)`);
      resolve({ code: lingered ? 0 : code, verdicts });
    });
    child.once('error', (err) => {
      console.error(`[bench] ${script}: ${err.message}`);
      resolve({ code: null, verdicts });
    });
  });
}

/** bench/turn writes JSON only: draw the loss-free rate per path and server from it. */
function turnChart(): void {
  const r = JSON.parse(readFileSync(turnJson, 'utf8')) as RunResult;
  const servers = r.servers.filter((s) => !s.error);
  // Short group labels (six groups share 700 px): ChannelData, Send/Data indications, relay-to-relay.
  const entries = (s: RunResult['servers'][number]) => [
    ...s.paths.map((x) => [`${x.mode === 'channel' ? 'channel' : 'indic.'} ${x.size} B`, x] as const),
    ...s.relayToRelay.map((x) => [`r2r ${x.size} B`, x] as const),
  ];
  const keys = [...new Set(servers.flatMap((s) => entries(s).map(([k]) => k)))];
  const value = (s: RunResult['servers'][number], key: string) => {
    const p = entries(s).find(([k]) => k === key)?.[1];
    return p ? (p.result.best?.offered ?? 0) : NaN;
  };
  writeResult('turn.svg', quick, barChartSvg({
    title: 'TURN relay: highest loss-free rate per path (r2r: relay-to-relay)',
    unit: 'round trips per second',
    groups: keys,
    series: servers.map((s) => ({ name: s.label, values: keys.map((k) => value(s, k)) })),
  }));
}

if (a['turn-chart']) {
  turnChart();
  process.exit(0);
}

console.log(`# Benchmarks${quick ? ' (quick)' : ''}: ${started.toISOString()}, ${machine()}\n`);
const summary: string[] = [];
let incomplete = 0;
for (const b of BENCHMARKS) {
  console.log(`\n# ${b.name} (${b.script})\n`);
  const t0 = Date.now();
  const { code, verdicts } = await runOne(b.script, b.args, b.doneFile);
  const took = `${Math.round((Date.now() - t0) / 1000)} s`;
  if (code === 0) {
    try {
      b.after?.();
    } catch (err) {
      verdicts.push(`FAIL chart: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else incomplete++;
  summary.push(`### ${b.name} (${took}${code === 0 ? '' : `, DID NOT COMPLETE: exit code ${code}`})`, ...(verdicts.length ? verdicts.map((v) => `- ${v}`) : ['- (no goals printed)']), '');
}
const pass = summary.filter((l) => /\bPASS\b/.test(l)).length;
const fail = summary.filter((l) => /\bFAIL\b/.test(l)).length;
console.log(`\n# Summary of goals (${pass} PASS, ${fail} FAIL${incomplete ? `, ${incomplete} benchmark(s) did not complete` : ''}; load at the end ${machine().split('load ')[1]})\n`);
console.log(summary.join('\n'));
console.log(`Results: bench/results/${quick ? 'quick/' : ''} (JSON and SVG per benchmark)`);
process.exitCode = incomplete ? 1 : 0;
