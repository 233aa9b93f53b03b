/**
 * Load generator for the signaling benchmark (a separate process, so the server's CPU is measured
 * alone). N clients in rooms of 2. `max`: closed loop, every pair keeps `window` messages in flight
 * (echoed back), for the highest message rate. `rate`: open loop at a fixed total rate, one way,
 * for latency. Messages are ICE-candidate-sized; latency is one way, measured on one clock.
 * Prints one JSON line with the figures.
 */
import { parseArgs } from 'node:util';
import { percentile } from '../lib/proc.js';
import { watchStalls } from './loop-stalls.js';
import { barePeer, switchboardPeer, type Peer } from './peers.js';

const { values: a } = parseArgs({
  options: {
    kind: { type: 'string', default: 'switchboard' },
    port: { type: 'string' },
    clients: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'max' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '5' },
    window: { type: 'string', default: '4' },
    /** Open loop: also list the messages slower than this (ms), by send time (ms since the epoch). */
    'slow-ms': { type: 'string', default: '0' },
  },
});
const N = Number(a.clients);
const slowMs = Number(a['slow-ms']);
const url = `127.0.0.1:${a.port}`;

// Switchboard and the minimal Socket.IO relay speak the same Socket.IO protocol to the clients.
const make = () => (a.kind === 'bare' ? barePeer(url) : switchboardPeer(url));
const PAD = 'candidate:842163049 1 udp 1677729535 198.51.100.7 49152 typ srflx raddr 10.0.0.2 rport 49152 ts=';

const t0 = performance.now();
const peers: Peer[] = [];
for (let i = 0; i < N; i += 200) {
  peers.push(...(await Promise.all(Array.from({ length: Math.min(200, N - i) }, make))));
}
const pairs: Array<{ first: Peer; second: Peer; firstId: string }> = [];
for (let i = 0; i + 1 < N; i += 2) {
  const room = `bench-${i}`;
  await peers[i]!.join(room);
  const [firstId] = await peers[i + 1]!.join(room);
  pairs.push({ first: peers[i]!, second: peers[i + 1]!, firstId: firstId! });
}
const setupMs = performance.now() - t0;

const lat: number[] = [];
/** `--slow-ms`: how many messages were slower, and the first SLOW_MAX of them. */
const slow: Array<{ at: number; ms: number }> = [];
let slowCount = 0;
const SLOW_MAX = 20_000;
/** `--slow-ms`: this process's own stalls too (a late receiver looks like a slow server). */
const stalls = slowMs > 0 ? watchStalls() : [];
let delivered = 0;
/** Open loop: messages sent inside the measured window. */
let sentInWindow = 0;
let measuring = false;
/** The measured window as it really was (performance.now()): a late timer makes it longer. */
let windowFrom = NaN;
let windowUntil = NaN;
const payload = (sentAt = performance.now()) => PAD + sentAt.toFixed(3);
const record = (p: string) => {
  if (!measuring) return;
  delivered++;
  lat.push(performance.now() - Number(p.slice(PAD.length)));
};
const seconds = Number(a.duration);
/** Tells the runner the measured window starts (it samples the server's CPU time here). */
const mark = () => process.stdout.write(JSON.stringify({ measuring: true }) + '\n');

if (a.mode === 'max') {
  for (const { first, second, firstId } of pairs) {
    first.onMessage((from, p) => {
      record(p);
      first.send(from, payload());
    });
    second.onMessage((_from, p) => {
      record(p);
      second.send(firstId, payload());
    });
    for (let w = 0; w < Number(a.window); w++) second.send(firstId, payload());
  }
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  mark();
  measuring = true;
  windowFrom = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  windowUntil = performance.now();
  mark();
} else {
  // Open loop. Only messages sent inside the measured window count (the payload carries the send
  // time), so warm-up traffic and the drain neither add to nor hide from the delivered share.
  let from = Infinity;
  let until = Infinity;
  for (const { first } of pairs) {
    first.onMessage((_from, p) => {
      const sentAt = Number(p.slice(PAD.length));
      if (sentAt < from || sentAt >= until) return;
      delivered++;
      const ms = performance.now() - sentAt;
      lat.push(ms);
      if (slowMs > 0 && ms > slowMs && slowCount++ < SLOW_MAX) slow.push({ at: performance.timeOrigin + sentAt, ms });
    });
  }
  const rate = Number(a.rate);
  // Paced by elapsed time, not by counting timer ticks: setInterval runs late under load, and a
  // tick-counted generator then offers less than it claims.
  const t0 = performance.now();
  let sent = 0;
  let k = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) * rate) / 1000);
    for (; sent < due; sent++) {
      const pair = pairs[k++ % pairs.length]!;
      // One timestamp, rounded as the payload carries it, for the payload and the window test, so
      // "sent" and "delivered" agree.
      const now = Number(performance.now().toFixed(3));
      if (now >= from && now < until) sentInWindow++;
      pair.second.send(pair.firstId, payload(now));
    }
  }, 5);
  // Warm-up at the same rate, as in `max` mode: the first second is the JIT compiling the
  // server's hot path, not its steady state.
  await new Promise((r) => setTimeout(r, 1000));
  mark();
  from = performance.now();
  until = from + seconds * 1000;
  windowFrom = from;
  windowUntil = until;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  // The window stays as planned even when this timer fires late (a stalled process): messages sent
  // after its end count neither as sent nor as delivered.
  clearInterval(timer);
  mark();
  await new Promise((r) => setTimeout(r, 1000)); // let in-flight messages land
}
lat.sort((x, y) => x - y);
process.stdout.write(
  JSON.stringify({
    clients: N,
    setupMs,
    sent: sentInWindow,
    delivered,
    // Closed loop: over the window as it really was; open loop: the planned window, which is
    // exactly the one messages were counted in.
    msgsPerSec: delivered / ((windowUntil - windowFrom) / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    window: { from: performance.timeOrigin + windowFrom, until: performance.timeOrigin + windowUntil },
    ...(slowMs > 0 ? { slowCount, slow, stalls } : {}),
  }) + '\n',
);
for (const p of peers) p.close();
setTimeout(() => process.exit(0), 200);
