/**
 * Call setup in Chromium: time from "join" to an open data channel, Switchboard (its web client,
 * the real server, the embedded TURN relay) against PeerJS (npm `peer` server + `peerjs` client),
 * direct and relayed, on the same machine and browser, calls interleaved.
 *
 *   npx tsx bench/browser/call-setup.ts [--quick] [--calls 30] [--warmup 2] [--rtt MS] [--coturn | --no-coturn]
 *                                       [--paths direct,relayed,coturn] [--systems switchboard,peerjs] [--trace]
 *
 * `--rtt MS` (root): the servers and the relay on the far side of a delay line, MS of round trip
 * away from the browser (bench/browser/harness.ts); figures are then also given in round trips.
 *
 * Each call: a fresh browser context (empty cache) for the peer already there, which is left to
 * finish joining, then a fresh context for the newcomer; the clock is the newcomer page's own
 * (performance.now(), 0 = the start of its navigation):
 *
 * - Switchboard: navigation to /r/<room> -> `window.switchboard.state()` shows the peer
 *   `connected` (simple-peer's 'connect': channel open, ICE connected, selected pair read).
 *   Includes the page load (HTML, app.js, CSS), the Socket.IO connection, join + ack (ICE
 *   servers), the offer, the other side's answer, ICE, DTLS, SCTP.
 * - PeerJS: navigation to /peerjs.html?role=join, whose script runs `new Peer()` at once, calls
 *   `peer.connect(host)` on 'open' -> `conn.on('open')`. Includes the page load, the id request,
 *   the WebSocket, the offer, the answer, ICE, DTLS, SCTP.
 *
 * Both use the same ICE servers (Switchboard's STUN + embedded TURN relay); relayed calls add
 * `iceTransportPolicy: 'relay'` (Switchboard: `?relay=1`). The browser is launched once (warm).
 *
 * `--coturn` (the default without --quick; `--no-coturn` leaves it out): the relayed calls are
 * also made through Debian's coturn, started by the benchmark on the same address as the
 * embedded relay (bench/browser/harness.ts, coturn.ts), path `relayed (coturn)`: Switchboard's
 * client and server with coturn as the relay, PeerJS with coturn's ICE servers.
 *
 * `--trace` (root, tcpdump): a capture of every UDP datagram in the servers' namespace during the
 * run (bench/browser/pcap.ts), and for each relayed Switchboard call its TURN/ICE/DTLS steps on the
 * newcomer's clock (trace.ts), printed and written to bench/results/call-setup-trace-*.md.
 * Goal: Switchboard p50 at most 0.8x PeerJS's (printed as PASS/FAIL, informational).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { barChartSvg } from '../lib/chart.js';
import { floorRtts, floorSteps } from './floor.js';
import { readPcap, startCapture } from './pcap.js';
import { traceCall, traceTable } from './trace.js';
import { machine, table, writeResult } from '../lib/proc.js';
import type { BenchMarks } from './instrument.js';
import { type BrowserBench, MODES, type Mode, marks, median, pct, poll, setupBrowserBench } from './harness.js';

const { values: a } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, calls: { type: 'string' }, warmup: { type: 'string' }, rtt: { type: 'string' }, coturn: { type: 'boolean' }, 'no-coturn': { type: 'boolean' }, paths: { type: 'string' }, systems: { type: 'string' }, trace: { type: 'boolean', default: false } },
  strict: true,
});
const RTT = a.rtt === undefined ? undefined : Number(a.rtt);
if (RTT !== undefined && !(Number.isFinite(RTT) && RTT >= 0 && RTT <= 1000)) {
  console.error(`call-setup: --rtt must be a number of ms from 0 to 1000, not "${a.rtt}"`);
  process.exit(2);
}
const quick = a.quick!;
const CALLS = Number(a.calls ?? (quick ? 3 : 30));
const WARMUP = Number(a.warmup ?? (quick ? 0 : 2));
for (const [name, v] of [['--calls', CALLS], ['--warmup', WARMUP]] as const) {
  if (!(Number.isInteger(v) && v >= 0 && v <= 10_000) || (name === '--calls' && v === 0)) {
    console.error(`call-setup: ${name} must be a whole number (calls at least 1), not "${name === '--calls' ? a.calls : a.warmup}"`);
    process.exit(2);
  }
}
if (a.coturn && a['no-coturn']) {
  console.error('call-setup: --coturn and --no-coturn together');
  process.exit(2);
}
const COTURN = a.coturn ?? (a['no-coturn'] ? false : !quick);
const GOAL = 0.8;

type System = 'switchboard' | 'peerjs';
/** `relayed` is through Switchboard's embedded relay (the name of earlier runs' rows), `relayed (coturn)` through coturn. */
type CallPath = Mode | 'relayed (coturn)' | 'relayed (hold)';
const PATH_IDS: Record<string, CallPath> = { direct: 'direct', relayed: 'relayed', coturn: 'relayed (coturn)', hold: 'relayed (hold)' };
const wanted = (a.paths ?? 'direct,relayed,coturn').split(',');
const HOLD = wanted.includes('hold');
for (const p of wanted) {
  if (!(p in PATH_IDS)) {
    console.error(`call-setup: --paths takes direct, relayed, coturn, hold (comma-separated), not "${p}"`);
    process.exit(2);
  }
}
const PATHS: CallPath[] = wanted.map((p) => PATH_IDS[p]!).filter((p) => COTURN || p !== 'relayed (coturn)');
if (a.paths?.includes('coturn') && !COTURN) {
  console.error('call-setup: --paths coturn needs coturn (not with --no-coturn; with --quick add --coturn)');
  process.exit(2);
}
const SYSTEMS = (a.systems ?? 'switchboard,peerjs').split(',') as System[];
if (!SYSTEMS.length || SYSTEMS.some((x) => x !== 'switchboard' && x !== 'peerjs')) {
  console.error(`call-setup: --systems takes switchboard, peerjs (comma-separated), not "${a.systems}"`);
  process.exit(2);
}
const LABEL: Record<System, string> = { switchboard: 'Switchboard', peerjs: 'PeerJS' };

interface Call {
  system: System;
  mode: CallPath;
  /** Newcomer, ms from navigation start: the app says connected (Switchboard) / conn 'open' (PeerJS). */
  readyMs: number;
  /** Newcomer: first RTCDataChannel 'open' event. */
  dcOpenMs: number;
  /** Newcomer: from the client's start (Switchboard: its WebSocket created; PeerJS: `new Peer()`) to ready. */
  fromClientMs: number;
  /** The peer already there: offer received -> its answer set (remote-offer -> local-answer). */
  answerMs: number;
  /** Switchboard: the call's window (epoch ms) and both pages' TURN usernames, for --trace. */
  window: { from: number; to: number; newcomerUser: string | null; otherUser: string | null };
  /** The responses the newcomer's client waited for, bytes (for the floor's slow-start count). */
  responses: number[];
  /** The newcomer's selected pair; `relayUrl`: the TURN server its relay candidate came from. */
  path: { local: string; remote: string; relayUrl?: string } | null;
  joiner: BenchMarks & { dom?: number };
  host: BenchMarks;
}

const rand = () => randomBytes(4).toString('hex');

/**
 * Bytes (headers included) of the responses the newcomer's client waited for: the page, and
 * every script it loaded (PeerJS's bundle; Switchboard's client is inline).
 */
async function responseBytes(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.initiatorType === 'script');
    return [nav?.transferSize ?? 0, ...scripts.map((r) => r.transferSize)];
  });
}

async function domReady(page: Page): Promise<number> {
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? NaN);
}

/**
 * The peer already there has been there a while, as in a real call: its page is built and idle (a
 * frame, then an idle period, twice), and then the machine gets `SETTLE_MS` more, for what is not
 * the page's main thread: the previous call's browser contexts shutting down, the browser's and
 * the servers' own work. Measured on this 2-core VM, newcomers that came right after the first
 * peer's join took 1.5-2.5x longer, for both systems. Both systems alike.
 */
const SETTLE_MS = 1000;
async function settle(page: Page): Promise<void> {
  const idle = 'new Promise((r) => requestAnimationFrame(() => requestIdleCallback(() => r(), { timeout: 2000 })))';
  await page.evaluate(idle);
  await page.evaluate(idle);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
}

/** The TURN username in a Switchboard page's boot data (its ICE servers). */
function turnUser(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const boot = JSON.parse(document.getElementById('sb-boot')?.textContent ?? '{}') as { iceServers?: Array<{ username?: string }> };
    return boot.iceServers?.find((x) => x.username)?.username ?? null;
  });
}

async function call(b: BrowserBench, system: System, mode: CallPath): Promise<Call> {
  const from = Date.now();
  const relay = mode !== 'direct';
  const viaCoturn = mode === 'relayed (coturn)';
  const hold = mode === 'relayed (hold)';
  const host = await b.newPage();
  const joiner = await b.newPage();
  try {
    let url: string;
    if (system === 'switchboard') {
      const room = `cs-${rand()}`;
      url = `${viaCoturn ? b.coturn!.sbBase : hold ? b.hold!.sbBase : b.sbBase}/r/${room}${relay ? '?relay=1' : ''}`;
      await host.page.goto(url);
      await poll('the first peer joined', () =>
        host.page.evaluate(() => (window as unknown as { switchboard?: { state(): { status: string } } }).switchboard?.state().status === 'joined'), 20_000, 20);
      // Its page is built once the join has settled (web/src/ui/first-paint.ts).
      await poll('the first peer\'s page built', () => host.page.evaluate(() => document.querySelector('[data-testid="room-status"]') !== null), 20_000, 20);
    } else {
      const id = `h${rand()}`;
      const q = `${relay ? '&relay=1' : ''}${viaCoturn ? '&turn=coturn' : hold ? '&turn=hold' : ''}`;
      await host.page.goto(`${b.pagesBase}/peerjs.html?role=host&id=${id}${q}`);
      await poll('the PeerJS host registered', () => host.page.evaluate(() => (window as unknown as { bench: { id: string | null } }).bench.id), 20_000, 20);
      url = `${b.pagesBase}/peerjs.html?role=join&target=${id}${q}`;
    }
    await settle(host.page);
    await joiner.page.goto(url, { waitUntil: 'commit' });
    const end = system === 'switchboard' ? 'app-connected' : 'conn-open';
    const m = await poll(`${system} ${mode}: newcomer connected`, async () => {
      const x = await marks(joiner.page);
      return x[end] !== undefined && x['dc-open'] !== undefined ? x : null;
    }, 30_000, 50).catch((err: Error) => {
      throw new Error(`${err.message}\nnewcomer console: ${joiner.logs.slice(-8).join('\n')}\nhost console: ${host.logs.slice(-8).join('\n')}`);
    });
    const hostMarks = await poll('host data channel open', async () => {
      const x = await marks(host.page);
      return x['dc-open'] !== undefined && x['local-answer'] !== undefined ? x : null;
    }, 10_000, 20);
    const path = await joiner.page.evaluate(() => (window as unknown as { __bench: { path(): Promise<{ local: string; remote: string; relayUrl?: string } | null> } }).__bench.path());
    if (relay && !path?.local.startsWith('relay') && !path?.remote.startsWith('relay')) throw new Error(`${system}: relayed call not on a relay path: ${JSON.stringify(path)}`);
    // Through which relay: the newcomer's relay candidate names the TURN server it came from.
    if (relay && path?.relayUrl && b.coturn && path.relayUrl.includes(`:${b.coturn.relay.port}`) !== viaCoturn) {
      throw new Error(`${system} ${mode}: relayed through the wrong relay (${path.relayUrl})`);
    }
    const start = system === 'switchboard' ? m['ws-new']! : m['new-peer']!;
    return {
      system,
      mode,
      readyMs: m[end]!,
      dcOpenMs: m['dc-open']!,
      fromClientMs: m[end]! - start,
      answerMs: hostMarks['local-answer']! - hostMarks['remote-offer']!,
      responses: await responseBytes(joiner.page),
      window: {
        from,
        to: Date.now(),
        newcomerUser: system === 'switchboard' ? await turnUser(joiner.page) : null,
        otherUser: system === 'switchboard' ? await turnUser(host.page) : null,
      },
      path,
      joiner: { ...m, dom: await domReady(joiner.page) },
      host: hostMarks,
    };
  } finally {
    await joiner.context.close().catch(() => undefined);
    await host.context.close().catch(() => undefined);
  }
}

const loadStart = loadavg();
const bench = await setupBrowserBench('call-setup', { ...(RTT === undefined ? {} : { rttMs: RTT }), coturn: COTURN, hold: HOLD });
const calls: Call[] = [];
const traceFile = a.trace ? writeResult(`call-setup-trace-rtt${RTT ?? 'none'}.pcap`, quick, '') : null;
const capture = traceFile ? await startCapture(bench.serverNs, traceFile, [bench.relays.oursTcp, bench.relays.coturn, bench.hold?.relayTcp].flatMap((r) => (r ? [Number(r.split(':')[1])] : []))).catch(async (e: Error) => {
  await bench.close();
  throw e;
}) : null;
const relays = bench.relays;
const failures: Array<{ system: System; mode: CallPath; error: string }> = [];
try {
  const t0 = Date.now();
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const mode of PATHS) {
      // Alternate which system goes first, so a slow moment on the shared machine hits both alike.
      for (const system of i % 2 ? [...SYSTEMS].reverse() : SYSTEMS) {
        try {
          const c = await call(bench, system, mode);
          if (i >= WARMUP) calls.push(c);
        } catch (err) {
          failures.push({ system, mode, error: err instanceof Error ? err.message : String(err) });
          console.error(`[call-setup] ${system} ${mode} call ${i} failed: ${err instanceof Error ? err.message : String(err)}`);
          if (failures.length > Math.max(3, CALLS / 3)) throw new Error(`too many failed calls (${failures.length})`);
        }
      }
    }
    if (!quick && (i + 1) % 10 === 0) console.error(`[call-setup] ${i + 1}/${WARMUP + CALLS} rounds, ${Math.round((Date.now() - t0) / 1000)} s`);
  }
} finally {
  await capture?.stop();
  await bench.close();
}

interface Row { system: System; mode: CallPath; calls: number; failed: number; floor: number; p50: number; p95: number; dcOpenP50: number; fromClientP50: number; answerP50: number; paths: string }
const rows: Row[] = [];
const breakdown: Array<Array<string | number>> = [];
// Steps of the newcomer, and of the peer already there (`host:`, shifted onto the newcomer's clock).
const STEPS = [
  ['DOMContentLoaded', 'dom'], ['WebSocket open', 'ws-open'], ['1st message in', 'ws-in-first'], ['join sent', 'ws-out-join'], ['join ack', 'ws-in-join-ack'],
  ['offer set', 'local-offer'], ['offer sent', 'ws-out-offer'], ['offer at other side', 'host:ws-in-offer'],
  ['other side: ice-servers sent', 'host:ws-out-ice-servers'], ['its ice-servers ack', 'host:ws-in-ice-servers-ack'],
  ['other side: offer set', 'host:remote-offer'], ['its answer set', 'host:local-answer'], ['answer sent', 'host:ws-out-answer'],
  ['answer received', 'ws-in-answer'], ['ICE connected', 'ice-connected'], ['channel open', 'dc-open'],
] as const;
const step = (c: Call, s: string): number => {
  if (!s.startsWith('host:')) return (c.joiner as Record<string, number>)[s] ?? NaN;
  const v = c.host[s.slice(5)];
  return v === undefined ? NaN : v + c.host.origin! - c.joiner.origin!;
};
for (const mode of PATHS) {
  for (const system of SYSTEMS) {
    const cs = calls.filter((c) => c.system === system && c.mode === mode);
    const paths = [...new Set(cs.map((c) => (c.path ? `${c.path.local}/${c.path.remote}` : 'unknown')))].join(', ');
    rows.push({
      system, mode, calls: cs.length, failed: failures.filter((f) => f.system === system && f.mode === mode).length,
      floor: cs[0] ? floorRtts(system, mode !== 'direct', cs[0].responses) : NaN,
      p50: median(cs.map((c) => c.readyMs)), p95: pct(cs.map((c) => c.readyMs), 95),
      dcOpenP50: median(cs.map((c) => c.dcOpenMs)), fromClientP50: median(cs.map((c) => c.fromClientMs)), answerP50: median(cs.map((c) => c.answerMs)), paths,
    });
    breakdown.push([LABEL[system], mode, ...STEPS.map(([, s]) => median(cs.map((c) => step(c, s)).filter(Number.isFinite))), median(cs.map((c) => c.readyMs))]);
  }
}

const date = new Date().toISOString();
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\n## Call setup (${date}${RTT === undefined ? '' : `, RTT ${RTT} ms to the servers`}, ${machine()}; load at the start ${fmtLoad(loadStart)})\n`);
console.log(`command: npx tsx bench/browser/call-setup.ts ${process.argv.slice(2).join(' ')}${bench.coturn ? `; coturn ${bench.coturn.relay.version}` : ''}\n`);
console.log(table(
  ['system', 'path', 'calls', 'failed', 'join -> ready p50 ms', ...(RTT ? ['p50 in RTTs', 'floor RTTs', 'above the floor'] : []), 'p95 ms', 'join -> channel open p50 ms', 'client start -> ready p50 ms', 'answer p50 ms (other side)', 'selected pair (local/remote)'],
  rows.map((r) => [LABEL[r.system], r.mode, r.calls, r.failed, r.p50, ...(RTT ? [(r.p50 / RTT).toFixed(1), r.floor, (r.p50 / RTT - r.floor).toFixed(1)] : []), r.p95, r.dcOpenP50, r.fromClientP50, r.answerP50, r.paths]),
));
if (RTT) {
  console.log(`\nThe floor (bench/browser/floor.ts; bench/README.md "the protocol floor"), round trips of ${RTT} ms:\n`);
  const fl = rows.filter((r) => r.mode !== 'relayed (coturn)' && Number.isFinite(r.floor));
  const steps = fl.map((r) => floorSteps(r.system, r.mode !== 'direct', calls.find((c) => c.system === r.system)!.responses));
  console.log(table(['system', 'path', 'steps (round trips)', 'total'], fl.map((r, i) => [LABEL[r.system], r.mode, steps[i]!.filter((x) => x.rtts).map((x) => `${x.step}: ${x.rtts}`).join('; '), r.floor])));
}
console.log('\nNewcomer timeline, p50 of each step, ms from navigation start:\n');
console.log(table(['system', 'path', ...STEPS.map(([h]) => h), 'ready'], breakdown.map((r) => r.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? '-' : v)))));
console.log('\n(- : no such step: join and ice-servers are Switchboard messages; medians over the calls that had the step)');
const verdicts: string[] = [];
const at = RTT === undefined ? '' : ` at ${RTT} ms RTT`;
const row = (system: System, mode: CallPath) => rows.find((r) => r.system === system && r.mode === mode);
for (const mode of PATHS) {
  const sb = row('switchboard', mode);
  const pj = row('peerjs', mode);
  if (!sb || !pj) continue;
  const ratio = sb.p50 / pj.p50;
  const ok = Number.isFinite(ratio) && ratio <= GOAL;
  verdicts.push(`Call setup ${mode}${RTT === undefined ? '' : ` at ${RTT} ms RTT`}: Switchboard p50 ${sb.p50.toFixed(0)} ms = ${ratio.toFixed(2)}x PeerJS's ${pj.p50.toFixed(0)} ms (goal <= ${GOAL}x: ${ok ? 'PASS' : 'FAIL'})`);
}
for (const system of SYSTEMS) {
  // Issue 16: relayed at most direct + 30 ms at no added RTT; faster through our relay than coturn.
  const [direct, relayed, viaCoturn] = (['direct', 'relayed', 'relayed (coturn)'] as const).map((m) => row(system, m));
  if (!RTT && direct && relayed) {
    const d = relayed.p50 - direct.p50;
    verdicts.push(`${LABEL[system]} relayed${at}: ${d.toFixed(0)} ms above direct (goal <= 30 ms: ${d <= 30 ? 'PASS' : 'FAIL'}${system === 'peerjs' ? ', informational' : ''})`);
  }
  const holdRow = row(system, 'relayed (hold)');
  if (relayed && holdRow) {
    verdicts.push(`${LABEL[system]} relayed${at}: our relay with the permission hold (TURN_PERMISSION_HOLD_MS=500) ${holdRow.p50.toFixed(0)} ms, without (the default) ${relayed.p50.toFixed(0)} ms: ${(holdRow.p50 - relayed.p50).toFixed(0)} ms`);
  }
  if (relayed && viaCoturn) {
    const ours = relayed.p50;
    const co = viaCoturn.p50;
    verdicts.push(`${LABEL[system]} relayed${at}: through our relay ${ours.toFixed(0)} ms, through coturn ${co.toFixed(0)} ms = ${(ours / co).toFixed(2)}x (goal < 1: ${ours < co ? 'PASS' : 'FAIL'})`);
  }
}
console.log(`\n${verdicts.join('\n')}`);
if (failures.length) console.log(`\n${failures.length} failed call(s): ${failures.map((f) => `${f.system} ${f.mode}: ${f.error.split('\n')[0]}`).join('; ')}`);

const name = RTT === undefined ? 'call-setup' : `call-setup-rtt${RTT}`;
if (traceFile) {
  const datagrams = readPcap(traceFile);
  const traced = calls.filter((c) => c.system === 'switchboard' && c.mode !== 'direct' && c.window.newcomerUser && c.window.otherUser);
  const md = traced.map((c, i) => {
    const j = c.joiner;
    const tc = {
      label: `Switchboard ${c.mode} call ${i + 1}${at}: offer sent ${j['ws-out-offer']?.toFixed(0)} ms, answer in ${j['ws-in-answer']?.toFixed(0)}, ICE connected ${j['ice-connected']?.toFixed(0)}, channel open ${j['dc-open']?.toFixed(0)}`,
      origin: j.origin!, from: c.window.from, to: c.window.to, newcomerUser: c.window.newcomerUser!, otherUser: c.window.otherUser!,
      relay: c.mode === 'relayed' ? relays.ours : c.mode === 'relayed (hold)' ? bench.hold!.relay : relays.coturn!,
      ...(c.mode === 'relayed' ? { relayTcp: relays.oursTcp } : c.mode === 'relayed (hold)' ? { relayTcp: bench.hold!.relayTcp } : {}),
    };
    return traceTable(tc, traceCall(datagrams, tc));
  });
  const out = `# Relayed path traces (${date}${at}; capture ${traceFile})\n\n${md.join('\n\n')}\n`;
  console.log(`\n${out}`);
  writeResult(`call-setup-trace-rtt${RTT ?? 'none'}.md`, quick, out);
}
writeResult(`${name}.json`, quick, JSON.stringify({ date, machine: machine(), loadavg: { start: loadStart, end: loadavg() }, coturn: bench.coturn?.relay.version ?? null, rttMs: RTT ?? null, calls: CALLS, warmup: WARMUP, goal: GOAL, rows, failures, raw: calls }, null, 2));
writeResult(`${name}.svg`, quick, barChartSvg({
  title: `Call setup in Chromium: join -> data channel ready (${CALLS} calls each)`,
  unit: 'milliseconds (lower is better)',
  groups: PATHS.flatMap((m) => [`${m}: p50`, `${m}: p95`]),
  series: SYSTEMS.map((s) => ({
    name: LABEL[s],
    values: PATHS.flatMap((m) => {
      const r = rows.find((x) => x.system === s && x.mode === m)!;
      return [r.p50, r.p95];
    }),
  })),
}));
if (calls.length === 0) process.exitCode = 1;
