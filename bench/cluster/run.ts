/**
 * The cluster's per-node cost (issue 18): one Redis, 1 to 4 signaling nodes behind nginx (the
 * test topology: Debian's redis-server and nginx with deploy/nginx.conf, nodes as processes), rooms
 * of two peers, and a fixed offered signal rate. For the classic and the sharded adapter, with and
 * without room affinity (the room in the URL, which nginx hashes; without it nginx hashes each
 * client's address, so a room's two peers meet on one node only by chance), it prints per signal:
 * Redis messages published and received (counted at the nodes' Redis clients), the share that
 * crossed nodes, the nodes' CPU (all nodes' CPU time over the signals delivered), and latency.
 *
 *   npx tsx bench/cluster/run.ts                 (1-4 nodes, 20 s per configuration)
 *   npx tsx bench/cluster/run.ts --quick         (2 nodes, both adapters, with and without affinity, 4 s: the CI smoke)
 *   npx tsx bench/cluster/run.ts --nodes 1,2,3,4 --rate 600 --rooms 200 --seconds 20
 *   npx tsx bench/cluster/run.ts --per-node     (rate and rooms per node: N nodes get N times both)
 *
 * At a fixed offered rate each added node carries a smaller share, and a Node process pays more
 * CPU per message at a low rate (each message its own wake-up, no batching of reads and writes):
 * `--per-node` keeps each node's load the same, which is the per-node cost as the cluster grows.
 */
import { parseArgs } from 'node:util';
import { cleanup, startNginx, startNode, startRedis, type NodeService } from '../../test/cluster/support/services.js';
import { parsePrometheusText, value } from '../../test/support/prom-text.js';
import { cpuMs, machine, percentile, table, writeResult } from '../lib/proc.js';
import { switchboardPeer, type Peer } from '../signaling/peers.js';

const USAGE = 'usage: npx tsx bench/cluster/run.ts [--quick] [--nodes 1,2,3,4] [--rate SIGNALS_PER_S] [--rooms N] [--seconds S] [--adapters sharded,classic]';
function usage(message: string): never {
  process.stderr.write(`cluster bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}
let a: Record<string, string | boolean | undefined>;
try {
  a = parseArgs({ options: { quick: { type: 'boolean' }, nodes: { type: 'string' }, rate: { type: 'string' }, rooms: { type: 'string' }, seconds: { type: 'string' }, adapters: { type: 'string' }, 'per-node': { type: 'boolean' } }, strict: true }).values;
} catch (err) {
  usage((err as Error).message);
}
const quick = a.quick === true;
const ints = (name: string, raw: string | undefined, fallback: number[], min: number, max: number) => {
  if (raw === undefined) return fallback;
  const v = raw.split(',').map(Number);
  if (!v.length || v.some((x) => !Number.isInteger(x) || x < min || x > max)) usage(`--${name} must be integers from ${min} to ${max}, not "${raw}"`);
  return v;
};
const nodeCounts = ints('nodes', a.nodes as string | undefined, quick ? [2] : [1, 2, 3, 4], 1, 8);
const offered = ints('rate', a.rate as string | undefined, [quick ? 200 : 600], 1, 20_000)[0]!;
const roomCount = ints('rooms', a.rooms as string | undefined, [quick ? 40 : 200], 1, 5000)[0]!;
const seconds = ints('seconds', a.seconds as string | undefined, [quick ? 4 : 20], 1, 3600)[0]!;
const adapters = ((a.adapters as string | undefined) ?? 'sharded,classic').split(',');
if (adapters.some((x) => x !== 'sharded' && x !== 'classic')) usage(`--adapters takes sharded and/or classic, not "${a.adapters}"`);
const perNode = a['per-node'] === true;
const WARMUP_MS = quick ? 1000 : 3000;
const IDLE_MS = quick ? 1000 : 3000;

interface Row {
  nodes: number;
  /** Signals per second offered, and rooms, over the whole cluster. */
  rate: number;
  rooms: number;
  adapter: string;
  affinity: boolean;
  delivered: number;
  perSecond: number;
  crossNodePct: number;
  publishedPerSignal: number;
  receivedPerSignal: number;
  cpuUsPerSignal: number;
  /** The same, less each node's idle CPU (measured before the load): the signals' own cost. */
  cpuUsPerSignalAboveIdle: number;
  /** The busiest node's CPU per signal it forwarded (a node's own cost; flat = per-node cost flat). */
  maxNodeCpuUsPerSignal: number;
  p50: number;
  p99: number;
}

async function readNode(n: NodeService) {
  const [m, c] = await Promise.all([fetch(`${n.url}/metrics`).then(async (r) => parsePrometheusText(await r.text())), fetch(`${n.url}/api/cluster`).then((r) => r.json() as Promise<{ redisMessages: { published: number; received: number } }>)]);
  return { cpu: cpuMs(n.proc.child.pid!), signals: value(m, 'switchboard_signals_relayed_total'), cross: value(m, 'switchboard_signals_cross_node_total'), ...c.redisMessages };
}

/** A loopback source address per client (nginx hashes it when the URL has no room). */
const sourceAddress = (k: number) => `127.${1 + ((k >> 16) & 0xff)}.${(k >> 8) & 0xff}.${(k & 0xff) || 1}`;

const PAD = 'candidate:842163049 1 udp 1677729535 198.51.100.7 49152 typ srflx raddr 10.0.0.2 rport 49152 ts=';

async function measure(nodeCount: number, adapter: string, affinity: boolean): Promise<Row> {
  const rate = perNode ? offered * nodeCount : offered;
  const rooms = perNode ? roomCount * nodeCount : roomCount;
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url, REDIS_ADAPTER: adapter, RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000', MAX_CONNECTIONS_PER_IP: '0' };
  const nodes = await Promise.all(Array.from({ length: nodeCount }, (_, i) => startNode(`bench-${i + 1}`, env)));
  const lb = await startNginx(nodes.map((n) => `127.0.0.1:${n.port}`));
  const host = `127.0.0.1:${lb.port}`;
  try {
    // Rooms of two. Without affinity each client comes from its own loopback address, as clients
    // do from their own networks, and nginx places it by that address.
    const pairs: Array<{ a: Peer; b: Peer; aId: string; bId: string }> = [];
    for (let r = 0; r < rooms; r++) {
      const room = `bench-${r}`;
      const [pa, pb] = (await Promise.all([0, 1].map((k) => switchboardPeer(host, affinity ? { room } : { localAddress: sourceAddress(2 * r + k + 7) })))) as [Peer, Peer];
      await pa.join(room);
      const [aId] = await pb.join(room);
      pairs.push({ a: pa, b: pb, aId: aId!, bId: '' });
    }
    // Each node's CPU while the clients are connected and quiet (heartbeats, pings, timers): taken
    // off the loaded figure below, so that what is left is the cost of the signals themselves.
    const idle0 = nodes.map((n) => cpuMs(n.proc.child.pid!));
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleMsPerS = nodes.map((n, k) => ((cpuMs(n.proc.child.pid!) - idle0[k]!) * 1000) / IDLE_MS);
    // b learns a's id from its join; a learns b's from b's first signal.
    const lat: number[] = [];
    let delivered = 0;
    let counting = false;
    const arrived = (payload: string) => {
      if (!counting) return;
      delivered++;
      lat.push(Date.now() - Number(payload.slice(PAD.length)));
    };
    for (const p of pairs) {
      p.a.onMessage((from, payload) => {
        if (!p.bId) p.bId = from;
        arrived(payload);
      });
      p.b.onMessage((_from, payload) => arrived(payload));
      p.b.send(p.aId, `${PAD}${Date.now()}`);
    }
    // Open loop at `rate` signals a second over all rooms, both directions.
    let i = 0;
    const tickMs = 10;
    const timer = setInterval(() => {
      const n = Math.round((rate * tickMs) / 1000);
      for (let k = 0; k < n; k++, i++) {
        const p = pairs[i % pairs.length]!;
        if (i % 2 && p.bId) p.a.send(p.bId, `${PAD}${Date.now()}`);
        else p.b.send(p.aId, `${PAD}${Date.now()}`);
      }
    }, tickMs);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const before = await Promise.all(nodes.map(readNode));
    counting = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    counting = false;
    const after = await Promise.all(nodes.map(readNode));
    clearInterval(timer);
    for (const p of pairs) (p.a.close(), p.b.close());
    const d = after.map((x, k) => ({ cpu: x.cpu - before[k]!.cpu, signals: x.signals - before[k]!.signals, cross: x.cross - before[k]!.cross, published: x.published - before[k]!.published, received: x.received - before[k]!.received }));
    const sum = (f: (x: (typeof d)[number]) => number) => d.reduce((s, x) => s + f(x), 0);
    const signals = sum((x) => x.signals);
    lat.sort((x, y) => x - y);
    return {
      nodes: nodeCount,
      rate,
      rooms,
      adapter,
      affinity,
      delivered,
      perSecond: delivered / seconds,
      crossNodePct: (100 * sum((x) => x.cross)) / Math.max(1, signals),
      publishedPerSignal: sum((x) => x.published) / Math.max(1, signals),
      receivedPerSignal: sum((x) => x.received) / Math.max(1, signals),
      cpuUsPerSignal: (1000 * sum((x) => x.cpu)) / Math.max(1, signals),
      cpuUsPerSignalAboveIdle: (1000 * (sum((x) => x.cpu) - idleMsPerS.reduce((t, x) => t + x, 0) * seconds)) / Math.max(1, signals),
      maxNodeCpuUsPerSignal: Math.max(...d.map((x) => (1000 * x.cpu) / Math.max(1, x.signals))),
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
    };
  } finally {
    await cleanup();
  }
}

console.log(`[cluster] ${machine()}; ${roomCount} rooms of 2, ${offered} signals/s offered${perNode ? ' per node' : ''}, ${seconds} s per configuration after ${WARMUP_MS / 1000} s warm-up`);
const rows: Row[] = [];
for (const n of nodeCounts) {
  for (const adapter of adapters) {
    for (const affinity of n === 1 ? [true] : [true, false]) {
      const r = await measure(n, adapter, affinity);
      rows.push(r);
      console.log(`[cluster] ${n} node(s), ${adapter}, affinity ${affinity ? 'on' : 'off'}: ${r.perSecond.toFixed(0)} signals/s, ${r.crossNodePct.toFixed(1)}% cross-node, Redis ${r.publishedPerSignal.toFixed(2)} published / ${r.receivedPerSignal.toFixed(2)} received per signal, ${r.cpuUsPerSignal.toFixed(0)} us CPU per signal (${r.cpuUsPerSignalAboveIdle.toFixed(0)} above idle), p99 ${r.p99} ms`);
    }
  }
}
const out = table(
  ['nodes', 'offered/s', 'rooms', 'adapter', 'affinity', 'signals/s delivered', 'cross-node %', 'Redis published / signal', 'Redis received / signal', 'CPU us / signal (all nodes)', 'above idle', 'busiest node CPU us / signal', 'p50 ms', 'p99 ms'],
  rows.map((r) => [r.nodes, r.rate, r.rooms, r.adapter, r.affinity ? 'on' : 'off', r.perSecond.toFixed(0), r.crossNodePct.toFixed(1), r.publishedPerSignal.toFixed(2), r.receivedPerSignal.toFixed(2), r.cpuUsPerSignal.toFixed(0), r.cpuUsPerSignalAboveIdle.toFixed(0), r.maxNodeCpuUsPerSignal.toFixed(0), r.p50, r.p99]),
);
console.log(`\n## Cluster (${new Date().toISOString()}, ${machine()})\n\n${out}`);
// The goals (issue 18), for the sharded adapter with affinity: per-node CPU per signal within 15%
// of one node's as nodes are added, and under 5% of signals crossing nodes. CPU per signal is read
// above idle: every node's idle cost (tsx, heartbeats, timers) is paid whatever the traffic, so
// with it the per-signal figure would grow with the number of nodes at a fixed offered rate.
const base = rows.find((r) => r.adapter === 'sharded' && r.affinity && r.nodes === Math.min(...nodeCounts));
for (const r of rows.filter((x) => x.adapter === 'sharded' && x.affinity && x !== base)) {
  const ratio = r.cpuUsPerSignalAboveIdle / base!.cpuUsPerSignalAboveIdle;
  console.log(`goal: ${r.nodes} nodes, CPU per signal above idle ${ratio.toFixed(2)}x of ${base!.nodes} node(s) (goal <= 1.15): ${ratio <= 1.15 ? 'PASS' : 'FAIL'}`);
}
for (const r of rows.filter((x) => x.adapter === 'sharded' && x.affinity)) console.log(`goal: ${r.nodes} nodes, cross-node ${r.crossNodePct.toFixed(1)}% (goal < 5%): ${r.crossNodePct < 5 ? 'PASS' : 'FAIL'}`);
const file = writeResult(quick ? 'cluster.json' : `cluster-${perNode ? 'per-node-' : ''}${new Date().toISOString().replace(/:/g, '-').slice(0, 19)}.json`, quick, JSON.stringify({ date: new Date().toISOString(), machine: machine(), offered, rooms: roomCount, perNode, seconds, rows }, null, 2));
console.log(`\nwrote ${file}`);
process.exit(0);
