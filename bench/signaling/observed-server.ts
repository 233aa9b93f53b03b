/**
 * One of the signaling benchmark's servers (`SERVER` = switchboard | socketio | bare), with a
 * record of what stopped its event loop: every GC pause (PerformanceObserver 'gc') and every stall
 * (loop-stalls.ts). On an IPC message `{ stalls: true }` it prints both, on
 * the machine's clock (ms since the epoch), for bench/signaling/stalls.ts to line up with the
 * latency of the messages it relayed.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { watchStalls } from './loop-stalls.js';
import { SERVER_SCRIPTS, type ServerKind } from './servers.js';

const kind = process.env.SERVER ?? '';
if (!Object.hasOwn(SERVER_SCRIPTS, kind)) throw new Error(`SERVER must be one of ${Object.keys(SERVER_SCRIPTS).join(', ')}`);
const script = `./${SERVER_SCRIPTS[kind as ServerKind]}`;

const epoch = (t: number) => performance.timeOrigin + t;
const gcs: Array<{ at: number; ms: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ at: epoch(e.startTime), ms: e.duration });
}).observe({ entryTypes: ['gc'] });

const stalls = watchStalls();

process.on('message', (m: { stalls?: boolean }) => {
  if (m.stalls) process.stdout.write(JSON.stringify({ gcs, stalls }) + '\n');
});
await import(script);
