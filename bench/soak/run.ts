/**
 * The churn soak from the command line: the server in a child process (server-child.ts), the
 * clients here, for `--minutes` (default 30). Prints the seed first, the server's memory as it
 * goes, then the figures and a verdict; exits 0 when every check passed, 1 when one failed, 2 on
 * bad arguments.
 *
 *   npx tsx bench/soak/run.ts --minutes 30
 *   npx tsx bench/soak/run.ts --seconds 60 --seed 1234 --peers 80 --ops 300
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine } from '../lib/proc.js';
import { runSoak, type SoakOptions } from './churn.js';
import { MiB } from './memory.js';
import { type Bounds, formatFigures, verdict } from './report.js';
import { startSoakServer } from './server.js';

const USAGE = `usage: npx tsx bench/soak/run.ts [--minutes M | --seconds S] [--seed N] [--peers N] [--rooms N]
         [--capacity N] [--ops N] [--grace-ms MS] [--warmup-seconds S] [--sample-seconds S]
         [--rss-bound-mib MIB] [--heap-bound-mib MIB] [--out FILE.json]`;

function usageError(message: string): never {
  process.stderr.write(`soak: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** `raw` as a number in [min, max] (an integer when `int`), or exit 2 naming the option. */
function num(name: string, raw: string | undefined, fallback: number, min: number, max: number, int = false): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const kind = int ? 'an integer' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(v) || (int && !Number.isInteger(v)) || v < min || v > max) {
    usageError(`--${name} must be ${kind} from ${min} to ${max}, not "${raw}"`);
  }
  return v;
}

/** Every option takes a value but --help; each value is checked by `num` below. */
const VALUED = ['minutes', 'seconds', 'seed', 'peers', 'rooms', 'capacity', 'ops', 'grace-ms', 'warmup-seconds', 'sample-seconds', 'rss-bound-mib', 'heap-bound-mib', 'out'] as const;
const spec = {
  ...(Object.fromEntries(VALUED.map((name) => [name, { type: 'string' }])) as Record<(typeof VALUED)[number], { type: 'string' }>),
  help: { type: 'boolean' },
} as const;

let a: ReturnType<typeof parseArgs<{ options: typeof spec }>>['values'];
try {
  a = parseArgs({ options: spec, strict: true, allowPositionals: false }).values;
} catch (err) {
  usageError(err instanceof Error ? err.message : String(err));
}
if (a.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (a.minutes !== undefined && a.seconds !== undefined) usageError('give --minutes or --seconds, not both');
const durationMs = a.seconds !== undefined ? num('seconds', a.seconds, 0, 5, 7 * 86400) * 1000 : num('minutes', a.minutes, 30, 0.1, 7 * 1440) * 60_000;
const seed = num('seed', a.seed, (Math.random() * 2 ** 32) >>> 0 || 1, 1, 2 ** 32 - 1, true);
const peers = num('peers', a.peers, 60, 2, 5000, true);
const capacity = num('capacity', a.capacity, 6, 2, 64, true);
const graceMs = num('grace-ms', a['grace-ms'], 10_000, 100, 300_000, true);
// Warm-up: a fifth of the run, at most 2 minutes; about 90 samples, 1 to 10 s apart.
const warmupMs = num('warmup-seconds', a['warmup-seconds'], Math.min(120, durationMs / 5000), 0, durationMs / 1000 - 1) * 1000;
const sampleEveryMs = num('sample-seconds', a['sample-seconds'], Math.min(10, Math.max(1, durationMs / 90_000)), 0.2, 600) * 1000;
const bounds: Bounds = {
  rssGrowthMiB: num('rss-bound-mib', a['rss-bound-mib'], 24, 0.1, 100_000),
  heapGrowthMiB: num('heap-bound-mib', a['heap-bound-mib'], 8, 0.1, 100_000),
};
const options: Omit<SoakOptions, 'url'> = {
  durationMs,
  seed,
  peers,
  rooms: num('rooms', a.rooms, 12, 1, 1000, true),
  opsPerSecond: num('ops', a.ops, 150, 1, 100_000),
  resumeGraceMs: graceMs,
  warmupMs,
  sampleEveryMs,
};

console.log(`[soak] seed ${seed} (replay with --seed ${seed}); ${(durationMs / 60_000).toFixed(1)} min, ${peers} peers, ${options.rooms} rooms of ${capacity}, ${options.opsPerSecond} ops/s, resume grace ${graceMs} ms`);
// Every client connects from 127.0.0.1: the per-address cap is set to what they can hold at once
// (each peer one socket, plus one being replaced), so a cap that leaked slots would refuse them.
const server = await startSoakServer({ resumeGraceMs: graceMs, roomCapacity: capacity, maxConnectionsPerIp: 2 * peers + 10 });
let exit: { code: number | null; signal: string | null };
let errorLines: number | undefined;
let result;
try {
  result = await runSoak({
    ...options,
    url: server.url,
    memory: server.memory,
    onSample: (s) =>
      console.log(`[soak] ${(s.at / 1000).toFixed(0)} s${s.warmup ? ' (warm-up)' : ''}: RSS ${(s.rss / MiB).toFixed(1)} MiB, heap ${(s.heapUsed / MiB).toFixed(1)} MiB, ${s.stats.sockets} sockets, ${s.stats.peers} peers in ${s.stats.rooms} rooms, ${s.stats.pendingDepartures} pending`),
  });
} finally {
  errorLines = (await server.memory().catch(() => undefined))?.errorLines;
  exit = await server.stop();
}

const checks = verdict(result, bounds);
checks.push(
  { ok: errorLines === 0, line: `error lines in the server's log: ${errorLines ?? 'unknown'} (want 0)` },
  { ok: exit.code === 0, line: `server after stop: ${exit.code === 0 ? 'exited by itself (no timer or socket left open)' : `exit code ${exit.code}, signal ${exit.signal} (see its stderr)`}` },
);
const ok = checks.every((c) => c.ok);
console.log(`\n## Churn soak (${new Date().toISOString()}, ${machine()})\n`);
console.log(`seed ${seed}, ${peers} peers, ${options.rooms} rooms of ${capacity}, ${options.opsPerSecond} ops/s offered, resume grace ${graceMs} ms, warm-up ${warmupMs / 1000} s, a sample every ${sampleEveryMs / 1000} s\n`);
console.log(formatFigures(result));
console.log(`\n${checks.map((c) => `- ${c.ok ? 'PASS' : 'FAIL'}: ${c.line}`).join('\n')}\n\nverdict: ${ok ? 'PASS' : 'FAIL'} (seed ${seed})`);
if (a.out) writeFileSync(a.out, JSON.stringify({ date: new Date().toISOString(), machine: machine(), options, bounds, result, checks, errorLines, exit }, null, 2));
process.exit(ok ? 0 : 1);
