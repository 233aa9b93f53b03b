/**
 * The delay line's accuracy and packet-rate limit (issue 16): a UDP echo on one side of
 * test/support/delay-line.ts, a prober on the other. For each one-way delay, 200 round trips at
 * 10 ms apart: RTT p50/p99/max against the 2 x delay it should be. Then a blast of 200-byte
 * datagrams at climbing rates (each way through the line: echoed) to find the highest rate it
 * carries with at most 0.1% lost, counted at the line itself (the TUN devices' kernel counters:
 * what the kernel handed to the forwarder, or dropped for a full queue, against what came back
 * out): on a busy machine the probe's own UDP sockets overflow first, which says nothing about
 * the line, so the datagrams echoed back are shown apart. Needs root.
 *
 *   npx tsx bench/delay/probe.ts [--quick]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDelayedLink, type DelayedLink, waitLine } from '../../test/support/delay-line.js';
import { isRoot } from '../../test/support/netns.js';
import { machine, percentile, table, writeResult } from '../lib/proc.js';

const { values: a } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
const quick = a.quick!;
if (!isRoot()) {
  console.error('bench/delay/probe.ts needs root (network namespaces)');
  process.exit(1);
}
const UDP = fileURLToPath(new URL('./udp.mjs', import.meta.url));
const DELAYS = quick ? [0, 25] : [0, 10, 25, 50];
const PROBES = quick ? 100 : 200;
const RATES = quick ? [2000, 5000] : [2000, 5000, 10000, 20000, 40000];

async function withLink<T>(oneWayMs: number, fn: (l: DelayedLink) => Promise<T>): Promise<T> {
  const link = await createDelayedLink({ oneWayMs, prefix: 'sbdp-' });
  const echo = link.right.spawn(process.execPath, [UDP, 'echo', '9000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await waitLine(echo, 'ready', 5000, 'udp echo');
    return await fn(link);
  } finally {
    echo.kill('SIGKILL');
    await link.stop();
  }
}

async function runIn(link: DelayedLink, args: string[], ms: number): Promise<Record<string, unknown>> {
  const c = link.left.spawn(process.execPath, [UDP, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(await waitLine(c, '{', ms, 'udp probe')) as Record<string, unknown>;
}

console.log(`[delay] ${machine()}`);
const rttRows: Array<Array<string | number>> = [];
const results: Record<string, unknown>[] = [];
for (const d of DELAYS) {
  const r = await withLink(d, async (link) => runIn(link, ['rtt', link.rightAddress, '9000', String(PROBES), '10'], 30_000));
  const rtts = (r.rtts as number[]).sort((x, y) => x - y);
  const row = { oneWayMs: d, expectedRttMs: 2 * d, p50: percentile(rtts, 50), p99: percentile(rtts, 99), max: rtts.at(-1)!, lost: r.lost as number, probes: PROBES };
  results.push(row);
  rttRows.push([d, 2 * d, row.p50.toFixed(2), (row.p50 - 2 * d).toFixed(2), row.p99.toFixed(2), row.max.toFixed(2), row.lost]);
  console.log(`[delay] one-way ${d} ms: RTT p50 ${row.p50.toFixed(2)} ms (+${(row.p50 - 2 * d).toFixed(2)}), p99 ${row.p99.toFixed(2)}, lost ${row.lost}/${PROBES}`);
}
/** Packets the kernel queued to the forwarder (tx + tx dropped) and got back from it (rx), both devices. */
function lineCounters(link: DelayedLink): { in: number; out: number } {
  const devs = JSON.parse(link.router.exec('ip', ['-s', '-j', 'link', 'show'])) as Array<{ ifname: string; stats64: { rx: { packets: number }; tx: { packets: number; dropped: number } } }>;
  const tun = devs.filter((d) => d.ifname === 'dl0' || d.ifname === 'dl1');
  return { in: tun.reduce((t, d) => t + d.stats64.tx.packets + d.stats64.tx.dropped, 0), out: tun.reduce((t, d) => t + d.stats64.rx.packets, 0) };
}

const rateRows: Array<Array<string | number>> = [];
let limit = 0;
const rates = await withLink(10, async (link) => {
  const out: Array<{ pps: number; sent: number; received: number; lineIn: number; lineOut: number }> = [];
  for (const pps of RATES) {
    const before = lineCounters(link);
    const r = (await runIn(link, ['blast', link.rightAddress, '9000', String(pps), '2'], 30_000)) as { sent: number; received: number };
    const after = lineCounters(link);
    const [lineIn, lineOut] = [after.in - before.in, after.out - before.out];
    out.push({ pps, ...r, lineIn, lineOut });
    const lossPct = (100 * (lineIn - lineOut)) / Math.max(1, lineIn);
    rateRows.push([pps, lineIn, lineOut, lossPct.toFixed(2), r.received, r.sent]);
    console.log(`[delay] ${pps} datagrams/s each way: the line carried ${lineOut}/${lineIn} (${lossPct.toFixed(2)}% lost); ${r.received}/${r.sent} echoed back to the prober`);
    if (lossPct <= 0.1) limit = pps;
    else break;
  }
  return out;
});
console.log(`\n## Delay line (${new Date().toISOString()}, ${machine()})\n`);
console.log(table(['one-way ms', 'RTT should be', 'RTT p50 ms', 'p50 above', 'p99 ms', 'max ms', 'lost'], rttRows));
console.log(`\n${table(['offered datagrams/s (each way)', 'into the line', 'out of it', 'line lost %', 'echoed back to the prober', 'sent by it'], rateRows)}\n`);
console.log(`packet-rate limit: ${limit} datagrams/s each way (${2 * limit} through the forwarder) with at most 0.1% lost`);
const file = writeResult(quick ? 'delay.json' : `delay-${new Date().toISOString().replace(/:/g, '-').slice(0, 19)}.json`, quick, JSON.stringify({ date: new Date().toISOString(), machine: machine(), rtt: results, rates, limit }, null, 2));
console.log(`wrote ${file}`);
process.exit(0);
