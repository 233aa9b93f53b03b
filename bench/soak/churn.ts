/**
 * The churn soak of the signaling server (issue 15, "Soak"): socket.io-client peers join rooms,
 * signal each other, drop without a goodbye and resume within the resume grace, leave and
 * disconnect, at random from a seeded generator, for a while; the server's memory is sampled
 * throughout. Then everything goes quiet and the server's rosters are compared with what its
 * clients believe, and once they are all gone the server must hold nothing of them.
 *
 * The seed fixes the sequence of random choices; the timing of a real server and real sockets
 * still varies from run to run, so a seed replays the same kind of run, not the same interleaving.
 * The server under test runs elsewhere (another process, see server.ts, or this one): the soak
 * reaches it only through Socket.IO and its HTTP API (`/api/rooms/:room`, `/api/stats`).
 */
import { get } from 'node:http';
import { rng } from '../../test/support/rng.js';
import { PEER_COUNTS, type PeerCount, type PeerEnv, SoakPeer } from './peer.js';
import { ACK_MS, type SignalCounts, SignalLedger } from './signals.js';

/** The server's memory after a forced GC, and its handles (from inside the server's process). */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  handles?: Record<string, number>;
}

export interface SoakOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  durationMs: number;
  seed: number;
  /** Simulated clients (each at most one socket at a time). */
  peers: number;
  /** Rooms they pick from (`soak-0` ...). */
  rooms: number;
  /** Operations started per second, across all peers. */
  opsPerSecond: number;
  /** The server's RESUME_GRACE_MS: resumes are scheduled within its first 60%. */
  resumeGraceMs: number;
  /** The first part of the run, whose memory samples only warm up (JIT, pools, lazy modules). */
  warmupMs: number;
  sampleEveryMs: number;
  /** Samples the server's memory; without it none is taken (an in-process server). */
  memory?: () => Promise<ServerMemory>;
  /** Called with each sample as it is taken (progress). */
  onSample?: (s: Sample) => void;
}

/** The server's signaling counters (GET /api/stats). */
export type ServerStats = Record<'sockets' | 'rooms' | 'peers' | 'livePeers' | 'pendingDepartures', number>;

export interface Sample {
  /** ms since the soak started. */
  at: number;
  warmup: boolean;
  rss: number;
  heapUsed: number;
  stats: ServerStats;
}

export type SoakCounts = Record<PeerCount, number> & SignalCounts & { ops: number };

export interface SoakResult {
  seed: number;
  /** Length of the churn itself (without the final checks), ms. */
  churnMs: number;
  counts: SoakCounts;
  /** Every error code clients received, by code (`room-full`, `unknown-peer` expected; `internal` never). */
  errors: Record<string, number>;
  /** What went wrong, in words; empty for a clean run. */
  problems: string[];
  samples: Sample[];
  /** Memory once every client had gone (after the checks). */
  after: ServerMemory | undefined;
  /** `after`'s figures when the server started taking clients (the first sample). */
  before: ServerMemory | undefined;
}

const TICK_MS = 20;
const MAX_PROBLEMS = 50;

/** Runs one soak against the server at `o.url`; resolves when every client has gone. */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const rand = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const problems: string[] = [];
  let extraProblems = 0;
  const problem = (what: string) => (problems.length < MAX_PROBLEMS ? problems.push(what) : extraProblems++);
  const errors: Record<string, number> = {};
  const refused = (code: string) => void (errors[code] = (errors[code] ?? 0) + 1);
  const ledger = new SignalLedger(problem, refused);
  const counts = Object.fromEntries(PEER_COUNTS.map((k) => [k, 0])) as Record<PeerCount, number>;
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch((err: unknown) => problem(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)).finally(() => inflight.delete(q));
    inflight.add(q);
  };
  const peers: SoakPeer[] = [];
  const env: PeerEnv = {
    url: o.url,
    rand,
    ledger,
    counts,
    refused,
    problem,
    track,
    inRoom: (id) => peers.find((p) => p.peerId === id && p.state === 'in'),
  };
  for (let i = 0; i < o.peers; i++) peers.push(new SoakPeer(`peer-${i}`, env, o.resumeGraceMs));
  const rooms = Array.from({ length: o.rooms }, (_, i) => `soak-${i}`);
  let ops = 0;

  /** One operation on `p`, chosen by its state; `p` is busy until it is done. */
  const act = (p: SoakPeer) => {
    const r = rand();
    let op: (() => Promise<void> | void) | undefined;
    if (p.state === 'off') op = () => p.join(pick(rooms));
    else if (p.state === 'lobby') op = r < 0.6 ? () => p.join(pick(rooms)) : r < 0.85 ? () => p.disconnect() : () => p.drop(undefined);
    else if (p.state === 'in') {
      if (r < 0.45) op = () => (p.view.size ? p.signal(pick([...p.view.keys()]), 'candidate') : undefined);
      else if (r < 0.53) op = () => p.iceServers();
      else if (r < 0.68) op = () => p.drop(rand() < 0.7 ? rand() * 0.6 * o.resumeGraceMs : undefined);
      else if (r < 0.8) op = () => p.leave(rand() < 0.5);
      else if (r < 0.88) op = () => p.disconnect();
    }
    if (!op) return;
    ops++;
    p.busy = true;
    track((async () => op())().finally(() => (p.busy = false)));
  };

  const started = performance.now();
  const samples: Sample[] = [];
  let before: ServerMemory | undefined;
  const sample = async () => {
    if (!o.memory) return;
    const [m, stats] = [await o.memory(), await serverStats(o.url)];
    before ??= m;
    const at = performance.now() - started;
    const s: Sample = { at, warmup: at < o.warmupMs, rss: m.rss, heapUsed: m.heapUsed, stats };
    samples.push(s);
    o.onSample?.(s);
  };
  await sample();

  // The churn: a budget of operations per tick, each on a random peer that is free; dropped
  // peers resume when their time comes, whoever the dice pick.
  let budget = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    budget = Math.min(budget + ((now - last) * o.opsPerSecond) / 1000, o.opsPerSecond);
    last = now;
    for (const p of peers) {
      if (p.state === 'dropped' && !p.busy && now >= p.resumeAt) {
        p.busy = true;
        track(p.join(p.room!).finally(() => (p.busy = false)));
      }
    }
    for (; budget >= 1; budget--) {
      const p = pick(peers);
      if (!p.busy && p.state !== 'dropped') act(p);
    }
  }, TICK_MS);
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, o.sampleEveryMs));
      if (sampling) await sample().catch((err: unknown) => problem(`memory sample failed: ${String(err)}`));
    }
  })();
  await new Promise((r) => setTimeout(r, o.durationMs));
  clearInterval(ticker);
  sampling = false;
  const churnMs = performance.now() - started;
  await sampler;

  await settle(peers, inflight, o, problem);
  await checkRosters(o.url, rooms, peers, problem);
  const lost = ledger.lost();
  if (lost.length) problem(`${lost.length} acknowledged signals never reached their connected recipient (first: ${lost.slice(0, 5).join(', ')})`);
  await checkStats(o.url, peers, problem);

  // Everyone goes; the server must be left holding nothing of theirs.
  const tally = { ...counts, ...ledger.counts, ops };
  for (const p of peers) if (p.socket) p.disconnect();
  await until(async () => isEmpty(await serverStats(o.url)), ACK_MS).catch(async () => {
    problem(`after every client disconnected, the server still holds ${JSON.stringify(await serverStats(o.url))} (want all 0)`);
  });
  const after = o.memory ? await o.memory() : undefined;
  if (extraProblems) problems.push(`... and ${extraProblems} more problems`);
  return { seed: o.seed, churnMs, counts: tally, errors, problems, samples, after, before };
}

/**
 * Waits until nothing is in flight: every operation and signal answered, every dropped peer given
 * up (the server announces it gone after the grace), no departure pending, and every event the
 * server sent before a round trip on each socket received (Socket.IO keeps one socket's order).
 */
async function settle(peers: SoakPeer[], inflight: Set<Promise<unknown>>, o: SoakOptions, problem: (w: string) => void): Promise<void> {
  const drain = async () => {
    while (inflight.size) await Promise.all(inflight);
  };
  await drain();
  for (const p of peers) if (p.state === 'dropped') p.abandon();
  // The server has seen every socket the soak closed (a drop just before the end included), and
  // the grace of every dropped peer has run out.
  const connected = () => peers.filter((p) => p.socket?.connected).length;
  const quiet = async () => {
    const s = await serverStats(o.url);
    return s.pendingDepartures === 0 && s.sockets === connected();
  };
  await until(quiet, o.resumeGraceMs + ACK_MS).catch(async () => problem(`the server did not settle: ${JSON.stringify(await serverStats(o.url))}, ${connected()} sockets connected`));
  // A round trip may deliver an offer, whose answer is more signals in flight: then another.
  // (These ice-servers requests count with the rest; an `internal` answer is one too.)
  for (let round = 0; round < 3; round++) {
    await Promise.all(peers.filter((p) => p.state === 'in').map((p) => p.iceServers()));
    if (!inflight.size) return;
    await drain();
  }
}

/** Every room's roster on the server against its clients: each one's belief plus itself. */
async function checkRosters(url: string, rooms: string[], peers: SoakPeer[], problem: (w: string) => void): Promise<void> {
  const fmt = (m: Map<string, string>) => [...m].map(([id, name]) => `${id}=${name}`).sort().join(' ');
  for (const room of rooms) {
    const roster = (await getJson(`${url}/api/rooms/${room}`)) as { peers: Array<{ id: string; name: string }> };
    const server = new Map(roster.peers.map((p) => [p.id, p.name]));
    const members = peers.filter((p) => p.state === 'in' && p.room === room);
    const model = new Map(members.map((p) => [p.peerId!, p.name]));
    if (fmt(server) !== fmt(model)) problem(`room ${room}: the server lists [${fmt(server)}], the soak has [${fmt(model)}] in it`);
    for (const p of members) {
      const belief = new Map([...p.view, [p.peerId!, p.name]]);
      if (fmt(belief) !== fmt(server)) problem(`room ${room}: ${p.name} (${p.peerId}) believes [${fmt(belief)}], the server lists [${fmt(server)}]`);
    }
  }
}

/** The server's counters against the soak's: its sockets and the peer ids it keeps bound to them. */
async function checkStats(url: string, peers: SoakPeer[], problem: (w: string) => void): Promise<void> {
  const stats = await serverStats(url);
  const connected = peers.filter((p) => p.socket?.connected);
  const bound = connected.filter((p) => p.peerId).length;
  const members = peers.filter((p) => p.state === 'in').length;
  const want = { sockets: connected.length, peers: members, livePeers: bound, pendingDepartures: 0 };
  for (const [k, v] of Object.entries(want)) {
    if (stats[k as keyof ServerStats] !== v) problem(`server stats ${k} = ${stats[k as keyof ServerStats]}, the soak has ${v} (${JSON.stringify(stats)})`);
  }
}

const isEmpty = (s: ServerStats) => Object.values(s).every((v) => v === 0);

export async function serverStats(url: string): Promise<ServerStats> {
  return ((await getJson(`${url}/api/stats`)) as { signaling: ServerStats }).signaling;
}

/**
 * GET `url` as JSON on a connection of its own, closed after the answer: no keep-alive socket
 * stays open on either side (the leak checks count sockets).
 */
export function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: ACK_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: ${res.statusCode} ${body.slice(0, 200)}`));
        try {
          resolve(JSON.parse(body));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${ACK_MS} ms`)));
    req.on('error', reject);
  });
}

/** Polls `cond` every 50 ms; rejects after `ms`. */
async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
