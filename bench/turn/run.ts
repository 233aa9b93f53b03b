/**
 * Relay benchmark: our relay, coturn, node-turn and a bare Node dgram forwarder side by side, on
 * loopback, each in its own process, measurements interleaved path by path.
 *
 *   npx tsx bench/turn/run.ts [--quick] [--servers ours,ours6,coturn,nodeturn,bare] [--duration S]
 *                             [--paths channel:120,indication:1000,r2r:120] [--out FILE]
 *                             [--wait-quiet S]   (a budget of S seconds to wait for idle CPU)
 *                             [--workers 1,2]    (also our relay as pools of 1 and 2 worker
 *                                                 processes, loaded by 4 flows: bench/turn/workers.ts)
 *                             [--servers none]   (worker rows only)
 *
 * Prints markdown tables and the goal checks, writes JSON to bench/results/turn-<date>.json (or
 * --out). Always exits 0 once the run is complete: goals are informational. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HOST6, cpuModel, idleFraction, loadAverage, sleep, waitForQuiet } from './common.js';
import { Sink, measureAllocations, measurePath, measureRelayToRelay, type Mode } from './load.js';
import { renderMarkdown, type RunResult, type ServerResult } from './report.js';
import {
  SERVER_LABELS,
  SERVER_NAMES,
  coturnVersion,
  poolUnavailable,
  removeBuild,
  startPool,
  startServer,
  unavailable,
  type RunningPool,
  type RunningServer,
  type ServerName,
} from './servers.js';
import { FLOWS, checkWorkers, measurePoolPath, measurePoolRelayToRelay } from './workers.js';

const FULL = {
  rates: [5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000],
  durationS: 2,
  allocations: 500,
  paths: [
    ['channel', 120],
    ['channel', 1000],
    ['indication', 120],
    ['indication', 1000],
  ] as Array<[Mode, number]>,
  relayToRelay: [120, 1000],
};

const QUICK: typeof FULL = {
  rates: [2_000, 5_000],
  durationS: 0.5,
  allocations: 50,
  paths: [
    ['channel', 120],
    ['indication', 120],
  ],
  relayToRelay: [120],
};

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    servers: { type: 'string', default: SERVER_NAMES.join(',') },
    duration: { type: 'string' },
    out: { type: 'string' },
    paths: { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    workers: { type: 'string', default: '' },
  },
});

const plan = { ...(opts.quick ? QUICK : FULL) };
/** What is left of the --wait-quiet budget (see quietMoment). */
let quietBudgetMs = Number(opts['wait-quiet']) * 1000;
if (opts.duration) plan.durationS = Number(opts.duration);
if (opts.paths) {
  // A subset of paths, e.g. `channel:120,r2r:120` (for investigating one number).
  const parts = opts.paths.split(',').map((p) => p.split(':') as [string, string]);
  plan.paths = parts.filter(([m]) => m !== 'r2r').map(([m, size]) => [m as Mode, Number(size)]);
  plan.relayToRelay = parts.filter(([m]) => m === 'r2r').map(([, size]) => Number(size));
}
const selected = (opts.servers === 'none' ? [] : opts.servers!.split(',').map((s) => s.trim())) as ServerName[];
const workerCounts = opts.workers ? opts.workers.split(',').map(Number) : [];
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) {
  console.error(`--workers takes worker counts from 1 to 64, comma-separated (e.g. 1,2), not "${opts.workers}"`);
  process.exit(2);
}
for (const s of selected) {
  if (!SERVER_NAMES.includes(s)) {
    console.error(`unknown server "${s}"; known: ${SERVER_NAMES.join(', ')}`);
    process.exit(2);
  }
}

const t0 = performance.now();
const log = (s: string): void => console.error(`${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s ${s}`);
const started = new Date();
const result: RunResult = {
  meta: {
    date: started.toISOString(),
    command: `npx tsx bench/turn/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    node: process.version,
    coturn: coturnVersion(),
    loadStart: loadAverage(),
    loadEnd: '',
    durationS: plan.durationS,
    rates: plan.rates,
    allocations: plan.allocations,
    sink: '',
  },
  servers: [],
  ...(workerCounts.length ? { workers: [] } : {}),
};

log(`[bench/turn] load average ${result.meta.loadStart}; servers: ${selected.join(', ')}`);
const sink = await Sink.start();
// The IPv6 rows' echo peer, on ::1 (see HOST6 in common.ts).
const sink6 = selected.includes('ours6') ? await Sink.start(HOST6) : undefined;
result.meta.sink = sink.kind;
try {
  await benchAll();
  if (workerCounts.length) await benchWorkers();
} finally {
  await sink.stop();
  await sink6?.stop();
  removeBuild();
}
result.meta.loadEnd = loadAverage();

const out =
  opts.out ?? fileURLToPath(new URL(`../results/turn-${started.toISOString().replace(/:/g, '-').slice(0, 19)}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(renderMarkdown(result));
log(`[bench/turn] JSON written to ${out}`);

/**
 * --wait-quiet S: a budget of S seconds for the whole run, spent before each server and each path
 * waiting (up to 60 s at a time) for a second with at least 75% of the CPU idle.
 */
async function quietMoment(): Promise<number> {
  if (quietBudgetMs <= 0) return 1;
  const t0 = performance.now();
  const idle = await waitForQuiet(Math.min(60, quietBudgetMs / 1000));
  quietBudgetMs -= performance.now() - t0;
  if (idle < 0.75) log(`[bench/turn] still busy (${(idle * 100).toFixed(0)}% idle); going on`);
  return idle;
}

/**
 * A path's control plane (Allocate, CreatePermission, ChannelBind) can time out when the machine
 * is saturated: try it up to 3 times before giving up on that server.
 */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`    setup failed (${(e as Error).message}); again`);
    }
  }
}

/**
 * All servers run at once (an idle one costs nothing) and the measurements are interleaved: each
 * path is measured on every server before the next path, so that the neighbours' load, which
 * comes and goes on this shared machine, hits every server alike.
 */
async function benchAll(): Promise<void> {
  const running = new Map<ServerName, RunningServer>();
  const results = new Map<ServerName, ServerResult>();
  for (const name of selected) {
    const r: ServerResult = { name, label: SERVER_LABELS[name], loadBefore: '', idleBefore: NaN, paths: [], relayToRelay: [] };
    results.set(name, r);
    result.servers.push(r);
    r.error = unavailable(name);
    if (r.error) {
      log(`[${name}] not run: ${r.error}`);
      continue;
    }
    try {
      const srv = await startServer(name);
      running.set(name, srv);
      log(`[${name}] pid ${srv.pid}, port ${srv.port}`);
    } catch (e) {
      r.error = `failed to start: ${(e as Error).message}`;
      log(`[${name}] ${r.error}`);
    }
  }
  /** Run `fn` on every server still running; a server that fails is stopped and left out. */
  const each = async (what: string, fn: (srv: RunningServer, r: ServerResult) => Promise<void>): Promise<void> => {
    for (const [name, srv] of running) {
      const r = results.get(name)!;
      await quietMoment();
      log(`[${name}] ${what}`);
      try {
        await fn(srv, r);
      } catch (e) {
        log(`[${name}] failed: ${(e as Error).stack ?? e}`);
        r.error = `failed: ${(e as Error).message}`;
        running.delete(name);
        await srv.stop();
      }
    }
  };
  try {
    await sleep(1000); // settle before the idle RSS readings
    await each(`${plan.allocations} allocations`, async (srv, r) => {
      // Other engineers' tests share the 2 cores: note how busy the machine was.
      r.loadBefore = loadAverage();
      r.idleBefore = quietBudgetMs > 0 ? await quietMoment() : await idleFraction(1000);
      r.alloc = await measureAllocations(srv, plan.allocations);
    });
    for (const [mode, size] of plan.paths) {
      await each(`${mode} ${size} B`, async (srv, r) => {
        const to = srv.name === 'ours6' ? sink6! : sink;
        r.paths.push({ mode, size, result: await retried(() => measurePath(srv, to, mode, size, plan.rates, plan.durationS, log)) });
      });
    }
    for (const size of plan.relayToRelay) {
      await each(`relay-to-relay ${size} B`, async (srv, r) => {
        const result = await retried(() => measureRelayToRelay(srv, size, plan.rates, plan.durationS, log));
        r.relayToRelay.push({ mode: 'channel', size, result });
      });
    }
  } finally {
    await Promise.all([...running.values()].map((srv) => srv.stop()));
  }
}

/**
 * --workers: our relay as a pool of each worker count, all pools running at once and measured
 * interleaved path by path like the servers above; FLOWS rooms spread over the workers.
 */
async function benchWorkers(): Promise<void> {
  const rows = result.workers!;
  const why = poolUnavailable();
  const pools = new Map<ServerResult, RunningPool>();
  for (const n of workerCounts) {
    const r: ServerResult = { name: 'ours', label: `switchboard, ${n} worker${n > 1 ? 's' : ''} (${FLOWS} flows)`, loadBefore: loadAverage(), idleBefore: NaN, paths: [], relayToRelay: [] };
    rows.push(r);
    if (why) {
      r.error = why;
      continue;
    }
    try {
      const pool = await startPool(n);
      await checkWorkers(pool);
      pools.set(r, pool);
      log(`[workers ${n}] pids ${pool.pid} (supervisor), ${pool.pids.join(', ')}; ports ${pool.ports.join(', ')}`);
    } catch (e) {
      r.error = `failed to start: ${(e as Error).message}`;
      log(`[workers ${n}] ${r.error}`);
    }
  }
  const each = async (what: string, fn: (pool: RunningPool, r: ServerResult) => Promise<void>): Promise<void> => {
    for (const [r, pool] of pools) {
      await quietMoment();
      log(`[workers ${pool.workers}] ${what}`);
      try {
        await fn(pool, r);
      } catch (e) {
        log(`[workers ${pool.workers}] failed: ${(e as Error).stack ?? e}`);
        r.error = `failed: ${(e as Error).message}`;
        pools.delete(r);
        await pool.stop();
      }
    }
  };
  try {
    // Settle, then note how busy the machine was (not in --quick: the smoke test's time is short).
    if (!opts.quick) {
      await sleep(500);
      await each('idle', async (_pool, r) => {
        r.loadBefore = loadAverage();
        r.idleBefore = await idleFraction(500);
      });
    }
    // One size of each path: what differs between the rows is the worker count, not the packet.
    // --quick (the CI smoke test) checks that the rows work: the first rate only.
    const size = 120;
    const rates = opts.quick ? plan.rates.slice(0, 1) : plan.rates;
    await each(`ChannelData ${size} B, ${FLOWS} flows`, async (pool, r) => {
      r.paths.push({ mode: 'channel', size, result: await retried(() => measurePoolPath(pool, sink, size, rates, plan.durationS, log)) });
    });
    await each(`relay-to-relay ${size} B, ${FLOWS} rooms`, async (pool, r) => {
      r.relayToRelay.push({ mode: 'channel', size, result: await retried(() => measurePoolRelayToRelay(pool, size, rates, plan.durationS, log)) });
    });
  } finally {
    await Promise.all([...pools.values()].map((p) => p.stop()));
  }
}
