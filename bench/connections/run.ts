/**
 * Memory per connected, joined socket: N clients (default 10,000) connect to one Switchboard node
 * and join rooms of 2; the server's RSS and heap are read after a forced GC, before and after.
 *
 *   npx tsx bench/connections/run.ts [--quick] [--clients 10000]
 */
import { parseArgs } from 'node:util';
import { barChartSvg } from '../lib/chart.js';
import { machine, startChild, table, writeResult } from '../lib/proc.js';
import { SERVER_NODE_FLAGS } from '../lib/server-flags.js';
import { switchboardPeer, type Peer } from '../signaling/peers.js';

const { values: a } = parseArgs({ options: { quick: { type: 'boolean', default: false }, clients: { type: 'string' } } });
const N = Number(a.clients ?? (a.quick ? 500 : 10_000));

const server = await startChild('bench/signaling/switchboard-server.ts', [], {}, ['--expose-gc', ...SERVER_NODE_FLAGS]);
const url = `127.0.0.1:${server.ready.port}`;
const memory = async () => {
  server.send({ gc: true });
  return (await server.nextLine()) as { rss: number; heapUsed: number; sockets: number };
};
try {
  // Warm up code paths (JIT, lazily loaded modules) with a few clients, so they don't count.
  const warm = await Promise.all(Array.from({ length: 20 }, () => switchboardPeer(url)));
  for (let i = 0; i < warm.length; i++) await warm[i]!.join(`warm-${i >> 1}`);
  for (const p of warm) p.close();
  await new Promise((r) => setTimeout(r, 500));
  const before = await memory();
  const peers: Peer[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i += 250) {
    const batch = await Promise.all(Array.from({ length: Math.min(250, N - i) }, () => switchboardPeer(url)));
    await Promise.all(batch.map((p, j) => p.join(`room-${(i + j) >> 1}`)));
    peers.push(...batch);
  }
  const setupS = (performance.now() - t0) / 1000;
  const after = await memory();
  const perRss = (after.rss - before.rss) / N;
  const perHeap = (after.heapUsed - before.heapUsed) / N;
  console.log(`\n## Connections (${new Date().toISOString()}, ${machine()})\n`);
  console.log(table(
    ['sockets', 'RSS before MB', 'RSS after MB', 'RSS per socket KB', 'heap per socket KB', 'connect+join s'],
    [[after.sockets, before.rss / 2 ** 20, after.rss / 2 ** 20, perRss / 1024, perHeap / 1024, setupS]],
  ));
  console.log(`\nMemory per connected, joined socket: ${(perRss / 1024).toFixed(1)} KB RSS (goal < 50 KB: ${perRss / 1024 < 50 ? 'PASS' : 'FAIL'})`);
  writeResult('connections.json', a.quick!, JSON.stringify({ date: new Date().toISOString(), machine: machine(), clients: N, before, after, perRss, perHeap, setupS }, null, 2));
  writeResult('connections.svg', a.quick!,
    barChartSvg({
      title: `Memory per connected, joined socket (${N.toLocaleString('en')} sockets)`,
      unit: 'KB per socket',
      groups: ['RSS', 'JS heap'],
      series: [{ name: 'Switchboard', values: [perRss / 1024, perHeap / 1024] }],
      goal: { value: 50, label: 'goal: under 50 KB' },
    }),
  );
  for (const p of peers) p.close();
} finally {
  await server.stop();
}
