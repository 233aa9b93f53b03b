/**
 * Where a latency tail comes from: one server at one offered rate (open loop, as the signaling
 * benchmark's latency test), with the slow messages lined up against what stalled the server's
 * event loop (GC pauses and late timers, observed-server.ts), the load process's own stalls, and
 * the machine's CPU time by kind (steal: the VM host running someone else).
 *
 *   npx tsx bench/signaling/stalls.ts [--server switchboard|socketio|bare] [--clients 1000]
 *                                     [--rate 10000] [--duration 5] [--slow-ms 20] [--quick]
 *
 * Prints the figures and a timeline of the 100 ms slots that had slow messages or stalls; writes
 * everything to bench/results/stalls-<server>.json. A diagnostic, not a goal: no PASS/FAIL.
 */
import { parseArgs } from 'node:util';
import { cpuMs, machine, machineTicks, startChild, stealPercent, writeResult } from '../lib/proc.js';
import { SERVER_NODE_FLAGS } from '../lib/server-flags.js';
import type { Stall } from './loop-stalls.js';

const { values: a } = parseArgs({
  options: {
    server: { type: 'string', default: 'switchboard' },
    clients: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    'slow-ms': { type: 'string', default: '20' },
    /** Smoke sizes (CI: test/bench/signaling-smoke.test.ts), results under bench/results/quick/. */
    quick: { type: 'boolean', default: false },
  },
});
a.clients ??= a.quick ? '50' : '1000';
a.rate ??= a.quick ? '500' : '10000';
a.duration ??= a.quick ? '1' : '5';
const slowMs = Number(a['slow-ms']);

const server = await startChild('bench/signaling/observed-server.ts', [], { SERVER: a.server! }, SERVER_NODE_FLAGS);
try {
  const pid = server.ready.pid as number;
  const load = await startChild('bench/signaling/load.ts', [
    '--kind', a.server!, '--port', String(server.ready.port), '--clients', a.clients!, '--mode', 'rate',
    '--rate', a.rate!, '--duration', a.duration!, '--slow-ms', String(slowMs),
  ]);
  const loadPid = load.proc.pid!;
  const cpu0 = cpuMs(pid);
  const loadCpu0 = cpuMs(loadPid);
  const ticks0 = machineTicks();
  const t0 = Date.now();
  await load.nextLine();
  const seconds = (Date.now() - t0) / 1000;
  const serverCpu = (cpuMs(pid) - cpu0) / 10 / seconds;
  const loadCpu = (cpuMs(loadPid) - loadCpu0) / 10 / seconds;
  const ticks1 = machineTicks();
  const steal = stealPercent(ticks0, ticks1);
  const busy = (100 * (ticks1.busy - ticks0.busy)) / Math.max(1, ticks1.total - ticks0.total);
  const r = (await load.nextLine()) as {
    sent: number; delivered: number; p50: number; p99: number; slowCount: number; slow: Stall[]; stalls: Stall[];
    window: { from: number; until: number };
  }; // prettier-ignore
  // The load process's own window (epoch ms): this process reads the marks later, by a pipe.
  const { from, until } = r.window;
  await load.stop();
  server.send({ stalls: true });
  const seen = (await server.nextLine()) as { gcs: Stall[]; stalls: Stall[] };

  const inWindow = (s: Stall) => s.at >= from && s.at < until;
  const gcs = seen.gcs.filter(inWindow);
  const serverStalls = seen.stalls.filter(inWindow);
  const loadStalls = r.stalls.filter(inWindow);
  const sum = (xs: Stall[]) => xs.reduce((n, x) => n + x.ms, 0);
  const max = (xs: Stall[]) => xs.reduce((n, x) => Math.max(n, x.ms), 0);

  console.log(`\n## Latency probe: ${a.server}, ${a.clients} clients, ${a.rate} msgs/s offered (${new Date().toISOString()}, ${machine()})\n`);
  console.log(`- delivered ${r.delivered} of ${r.sent}; p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ${r.slowCount} messages over ${slowMs} ms (${((100 * r.slowCount) / Math.max(1, r.delivered)).toFixed(2)}%)${r.slowCount > r.slow.length ? `; the timeline shows the first ${r.slow.length}` : ''}`);
  console.log(`- CPU over the window: server ${serverCpu.toFixed(0)}% of a core, load process ${loadCpu.toFixed(0)}%; machine busy ${busy.toFixed(0)}%, host steal ${steal.toFixed(1)}%`);
  console.log(`- server: ${gcs.length} GC pauses, ${sum(gcs).toFixed(0)} ms in all, longest ${max(gcs).toFixed(1)} ms; ${serverStalls.length} stalls over 6 ms, longest ${max(serverStalls).toFixed(1)} ms`);
  console.log(`- load process: ${loadStalls.length} stalls over 6 ms, longest ${max(loadStalls).toFixed(1)} ms`);

  // 100 ms slots with anything in them: slow messages (count, worst), server GC and stalls, load stalls.
  const SLOT = 100;
  const slot = (t: number) => Math.floor((t - from) / SLOT);
  const slots = new Map<number, { slow: number; worst: number; gc: number; stall: number; load: number }>();
  const get = (k: number) => slots.get(k) ?? (slots.set(k, { slow: 0, worst: 0, gc: 0, stall: 0, load: 0 }), slots.get(k)!);
  for (const m of r.slow) { const s = get(slot(m.at)); s.slow++; s.worst = Math.max(s.worst, m.ms); } // prettier-ignore
  for (const g of gcs) if (g.ms >= 3) get(slot(g.at)).gc = Math.max(get(slot(g.at)).gc, g.ms);
  for (const x of serverStalls) get(slot(x.at)).stall = Math.max(get(slot(x.at)).stall, x.ms);
  for (const x of loadStalls) get(slot(x.at)).load = Math.max(get(slot(x.at)).load, x.ms);
  console.log(`\n| t (s) | slow msgs | worst ms | longest server GC ms (>= 3) | longest server stall ms | longest load stall ms |\n|---|---|---|---|---|---|`);
  for (const [k, s] of [...slots].sort((x, y) => x[0] - y[0])) {
    console.log(`| ${((k * SLOT) / 1000).toFixed(1)} | ${s.slow} | ${s.worst.toFixed(0)} | ${s.gc ? s.gc.toFixed(1) : '-'} | ${s.stall ? s.stall.toFixed(1) : '-'} | ${s.load ? s.load.toFixed(1) : '-'} |`);
  }
  writeResult(`stalls-${a.server}.json`, a.quick!, JSON.stringify({ date: new Date().toISOString(), machine: machine(), args: a, serverCpu, loadCpu, busy, steal, p50: r.p50, p99: r.p99, sent: r.sent, delivered: r.delivered, slowCount: r.slowCount, slow: r.slow, gcs, serverStalls, loadStalls }, null, 2));
} finally {
  await server.stop();
}
