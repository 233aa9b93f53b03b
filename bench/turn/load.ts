/**
 * The load generator (runs in the benchmark's main process, never in the server's): TURN control
 * plane through `TurnClient`, data plane from pre-encoded buffers (only the 20-byte payload header
 * with step, sequence number and send time is patched per packet).
 *
 * Paths measured:
 * - client -> relay -> sink (echo, its own process) -> relay -> client, over ChannelData or over
 *   Send/Data indications;
 * - relay-to-relay: client A -> allocation A -> allocation B -> client B, echoed by B back the same
 *   way, both allocations on the same server.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TurnClient, type PeerAddress } from '../../turn/client/index.js';
import { Attr, Class, MessageBuilder, Method, decode, encodeChannelData, getAttr, looksLikeChannelData } from '../../turn/stun/index.js';
import {
  HOST,
  PAYLOAD_HEADER,
  SINK_HOST,
  PAYLOAD_MAGIC,
  cpuMicros,
  freePort,
  machineBusyMicros,
  percentile,
  rssBytes,
  sleep,
  socketFds,
  stopChild,
  writePayloadHeader,
} from './common.js';
import type { RunningServer } from './servers.js';

/** Other processes' CPU (% of one core) above which a step counts as disturbed. */
export const NOISY_PCT = 25;
/** Loss allowed for a rate to count as loss-free. */
export const LOSS_MAX = 0.001;
/**
 * An echo later than this counts as lost: with megabyte socket buffers a relay that cannot keep up
 * otherwise "delivers" everything within a short step, seconds late (useless to real-time media).
 */
export const LATE_MS = 100;
const RING = 1024;
const DRAIN_MS = 300;

export type Mode = 'channel' | 'indication';

export interface StepResult {
  offered: number;
  /** Packets per second the generator actually sent. */
  sentRate: number;
  sent: number;
  /** Round trips completed within LATE_MS (echoes back at the client). */
  received: number;
  /** Echoes that came back later than LATE_MS (counted as lost). */
  late: number;
  /** Packets that reached the far side (client B, or the Node sink), when counted. */
  peerReceived: number | undefined;
  loss: number;
  rttP50Us: number;
  rttP99Us: number;
  /** Server CPU (user + system) during the step and its drain, microseconds. */
  cpuUs: number;
  /**
   * cpuUs / (sent + received): CPU per packet the server relayed (each round trip crosses it
   * twice; at a loss-free step this count is exact to within LOSS_MAX).
   */
  cpuPerPacketUs: number;
  /** Server CPU as a percentage of one core. */
  cpuPct: number;
  /**
   * CPU used meanwhile by every other process on the machine (not the server, this generator or
   * the sink), as a percentage of one core: other engineers' work that competed with the run.
   */
  otherCpuPct: number;
}

export interface LadderResult {
  steps: StepResult[];
  /** The highest step with loss <= LOSS_MAX (undefined: none). */
  best?: StepResult | undefined;
  /** True when the generator could not send at the next offered rate (the harness's limit). */
  harnessLimited: boolean;
}

// ---------------------------------------------------------------------------------------------
// sink process

const PEER_BIN = '/usr/bin/turnutils_peer';
/** The running sinks' pids (their CPU is the harness's, not "other" load). */
const sinkPids = new Set<number>();

/**
 * The echo peer, in its own process: coturn's `turnutils_peer` (C, a few microseconds per packet,
 * which leaves the 2 cores to the relay) when installed, else `sink.ts` (Node, counts per step).
 */
export class Sink {
  private constructor(
    private readonly child: ChildProcess,
    readonly addr: PeerAddress,
    readonly kind: 'turnutils_peer' | 'node',
  ) {
    if (child.pid) sinkPids.add(child.pid);
  }

  /** An echo on `host` (default SINK_HOST; HOST6 for the IPv6 rows). */
  static async start(host = SINK_HOST): Promise<Sink> {
    if (existsSync(PEER_BIN)) {
      const port = await freePort();
      const child = spawn(PEER_BIN, ['-L', host, '-p', String(port)], { stdio: 'ignore' });
      try {
        await probeEcho(host, port);
      } catch (e) {
        await stopChild(child);
        throw e;
      }
      return new Sink(child, { address: host, port }, 'turnutils_peer');
    }
    const child = fork(fileURLToPath(new URL('./sink.ts', import.meta.url)), [host], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((res, rej) => {
      child.once('message', (m) => res((m as { port: number }).port));
      child.once('exit', (c) => rej(new Error(`sink exited with ${c}`)));
    });
    return new Sink(child, { address: host, port }, 'node');
  }

  /** Datagrams of `step` the sink saw; undefined when it does not count (turnutils_peer). */
  count(step: number): Promise<number | undefined> {
    if (this.kind !== 'node') return Promise.resolve(undefined);
    return new Promise((res) => {
      const on = (m: unknown): void => {
        const r = m as { step: number; received: number };
        if (r.step !== step) return;
        this.child.off('message', on);
        res(r.received);
      };
      this.child.on('message', on);
      this.child.send({ type: 'count', step });
    });
  }

  stop(): Promise<void> {
    if (this.child.pid) sinkPids.delete(this.child.pid);
    return stopChild(this.child);
  }
}

/** Wait until something on `host`:`port` echoes a datagram. */
async function probeEcho(host: string, port: number): Promise<void> {
  const s = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  try {
    for (let i = 0; i < 30; i++) {
      const echoed = new Promise<boolean>((res) => {
        s.once('message', () => res(true));
        setTimeout(() => res(false), 200);
      });
      s.send('probe', port, host);
      if (await echoed) return;
    }
    throw new Error(`no echo from ${host}:${port}`);
  } finally {
    s.close();
  }
}

// ---------------------------------------------------------------------------------------------
// the step ladder

let stepCounter = Math.floor(Math.random() * 1000);

/** The payload of a ChannelData message or Data indication from the relay. */
export function payloadOf(m: Buffer): Buffer | undefined {
  if (looksLikeChannelData(m)) return m.subarray(4, 4 + m.readUInt16BE(2));
  const msg = decode(m);
  const d = msg && getAttr(msg, Attr.Data);
  return d ? m.subarray(d.offset, d.offset + d.length) : undefined;
}

/** Counts echoes of the current step and keeps their round-trip times (ms); flows may share one. */
export class Receiver {
  step = -1;
  count = 0;
  late = 0;
  private rtts = new Float64Array(0);
  private n = 0;

  reset(step: number, expected: number): void {
    this.step = step;
    this.count = 0;
    this.late = 0;
    this.n = 0;
    if (this.rtts.length < expected) this.rtts = new Float64Array(expected);
  }

  /** True when payload `d` (as sent) belongs to the current step. */
  isCurrent(d: Buffer | undefined): d is Buffer {
    return d !== undefined && d.length >= PAYLOAD_HEADER && d.readUInt32BE(0) === PAYLOAD_MAGIC && d.readUInt16BE(4) === this.step;
  }

  /** A message from the relay back at the sending client. */
  onEcho(m: Buffer): void {
    const d = payloadOf(m);
    if (!this.isCurrent(d)) return;
    const rtt = performance.now() - d.readDoubleLE(12);
    if (rtt > LATE_MS) this.late++;
    else this.count++;
    if (this.n < this.rtts.length) this.rtts[this.n++] = rtt;
  }

  percentilesUs(): [number, number] {
    const s = this.rtts.subarray(0, this.n).sort();
    return [percentile(s, 50) * 1000, percentile(s, 99) * 1000];
  }
}

export interface Flow {
  /** Pre-encoded messages; the payload starts at `off` in each. */
  ring: Buffer[];
  off: number;
  /** The client's socket, connected to the relay. */
  sock: dgram.Socket;
  /** More clients sharing the step's packets round-robin and `receiver` (bench/turn/workers.ts). */
  more?: Array<Pick<Flow, 'ring' | 'off' | 'sock'>>;
  receiver: Receiver;
  /** Packets of `step` that reached the far side, when known. */
  peerReceived(step: number): Promise<number | undefined>;
}

/** CPU time of the server's processes (several for a relay of several workers), microseconds. */
const cpuOf = (pids: number[]): number => pids.reduce((sum, p) => sum + cpuMicros(p), 0);

async function runStep(flow: Flow, pids: number[], rate: number, durationS: number): Promise<StepResult> {
  const step = ++stepCounter & 0xffff;
  const total = Math.round(rate * durationS);
  flow.receiver.reset(step, total);
  const lanes = [flow, ...(flow.more ?? [])];
  const cpu0 = cpuOf(pids);
  const busy0 = machineBusyMicros();
  const self0 = process.cpuUsage();
  const sinkCpu = (): number => [...sinkPids].reduce((t, p) => t + cpuMicros(p), 0);
  const sink0 = sinkCpu();
  const t0 = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = (): void => {
      const el = performance.now() - t0;
      const target = Math.min(total, Math.floor((rate * el) / 1000));
      while (sent < target) {
        const { ring, off, sock } = lanes[sent % lanes.length]!;
        const b = ring[sent % RING]!;
        writePayloadHeader(b, off, step, sent, performance.now());
        sock.send(b);
        sent++;
      }
      if (sent >= total) done();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendMs = performance.now() - t0;
  await sleep(DRAIN_MS);
  const wallUs = (performance.now() - t0) * 1000;
  const cpuUs = cpuOf(pids) - cpu0;
  const self = process.cpuUsage(self0);
  const harnessUs = self.user + self.system + (sinkCpu() - sink0);
  const otherUs = machineBusyMicros() - busy0 - cpuUs - harnessUs;
  const received = flow.receiver.count;
  const late = flow.receiver.late;
  const peerReceived = await flow.peerReceived(step);
  const [rttP50Us, rttP99Us] = flow.receiver.percentilesUs();
  return {
    offered: rate,
    sentRate: Math.round((sent * 1000) / sendMs),
    sent,
    received,
    late,
    peerReceived,
    loss: sent ? 1 - received / sent : 1,
    rttP50Us,
    rttP99Us,
    cpuUs,
    cpuPerPacketUs: received ? cpuUs / (sent + received + late) : NaN,
    cpuPct: (cpuUs / wallUs) * 100,
    otherCpuPct: Math.max(0, (otherUs / wallUs) * 100),
  };
}

/**
 * Step through `rates` until one loses more than LOSS_MAX (retried once when the loss is small or
 * other processes were busy, to ride out the neighbours on a shared machine) or the generator
 * cannot keep up.
 */
export async function ladder(flow: Flow, pids: number[], rates: number[], durationS: number, log: (s: string) => void): Promise<LadderResult> {
  const out: LadderResult = { steps: [], harnessLimited: false };
  for (const rate of rates) {
    let r = await runStep(flow, pids, rate, durationS);
    out.steps.push(r);
    log(stepLine(r));
    if (r.loss > LOSS_MAX && r.received > 0 && (r.loss < 0.05 || r.otherCpuPct > NOISY_PCT)) {
      r = await runStep(flow, pids, rate, durationS);
      out.steps.push(r);
      log(stepLine(r) + ' (retry)');
    }
    if (r.sentRate < rate * 0.95) {
      out.harnessLimited = true;
      break;
    }
    if (r.loss > LOSS_MAX) break;
    out.best = r;
  }
  return out;
}

function stepLine(r: StepResult): string {
  return (
    `    ${r.offered} pps: sent ${r.sentRate}/s, loss ${(r.loss * 100).toFixed(2)}% (${r.late} late), ` +
    `rtt p50 ${r.rttP50Us.toFixed(0)} us p99 ${r.rttP99Us.toFixed(0)} us, ` +
    `cpu ${r.cpuPerPacketUs.toFixed(2)} us/pkt (${r.cpuPct.toFixed(0)}%), other processes ${r.otherCpuPct.toFixed(0)}%`
  );
}

function payload(size: number): Buffer {
  return Buffer.alloc(size, 0xab);
}

export function channelRing(channel: number, size: number): Buffer[] {
  return Array.from({ length: RING }, () => encodeChannelData(channel, payload(size), false));
}

/** Where a client reaches a relay: a server, or one worker of a relay of several. */
export type Target = Pick<RunningServer, 'port' | 'creds' | 'host'>;

export async function connectAllocated(srv: Target): Promise<[TurnClient, PeerAddress]> {
  const c = await TurnClient.connect({ host: srv.host ?? HOST, port: srv.port, ...srv.creds });
  c.on('error', () => undefined);
  const { relayed } = await c.allocate({ lifetime: 600 });
  return [c, { address: relayed.address, port: relayed.port }];
}

async function freeClient(c: TurnClient): Promise<boolean> {
  let ok = true;
  try {
    await c.refresh(0);
  } catch {
    ok = false;
  }
  await c.close();
  return ok;
}

/**
 * Hand the allocation's 5-tuple from the TurnClient (control plane done) to a plain socket bound
 * to the same local port and connected to the relay: sends skip the per-packet address lookup
 * and receives skip the client's event plumbing. The allocation is left to expire (or to die
 * with the server).
 */
export async function takeOver(c: TurnClient, srv: Target): Promise<dgram.Socket> {
  const port = c.local.port;
  await c.close();
  const host = srv.host ?? HOST;
  const sock = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  await new Promise<void>((res, rej) => {
    sock.once('error', rej);
    sock.bind(port, host, () => {
      sock.off('error', rej);
      res();
    });
  });
  sock.on('error', () => undefined);
  await new Promise<void>((res) => sock.connect(srv.port, host, () => res()));
  return sock;
}

// ---------------------------------------------------------------------------------------------
// client -> relay -> sink -> relay -> client

export async function measurePath(
  srv: RunningServer,
  sink: Sink,
  mode: Mode,
  size: number,
  rates: number[],
  durationS: number,
  log: (s: string) => void,
): Promise<LadderResult> {
  const [c] = await connectAllocated(srv);
  await c.createPermission(sink.addr.address);
  let ring: Buffer[];
  let off: number;
  if (mode === 'channel') {
    ring = channelRing(await c.channelBind(sink.addr), size);
    off = 4;
  } else {
    ring = Array.from({ length: RING }, () => {
      const b = new MessageBuilder(Method.Send, Class.Indication);
      b.addXorAddress(Attr.XorPeerAddress, sink.addr.address, sink.addr.port);
      b.add(Attr.Data, payload(size));
      return b.build();
    });
    off = getAttr(decode(ring[0]!)!, Attr.Data)!.offset;
  }
  const sock = await takeOver(c, srv);
  try {
    const receiver = new Receiver();
    sock.on('message', (m) => receiver.onEcho(m));
    return await ladder(flow(ring, off, sock, receiver, (s) => sink.count(s)), [srv.pid], rates, durationS, log);
  } finally {
    sock.close();
  }
}

function flow(ring: Buffer[], off: number, sock: dgram.Socket, receiver: Receiver, peerReceived: Flow['peerReceived']): Flow {
  return { ring, off, sock, receiver, peerReceived };
}

// ---------------------------------------------------------------------------------------------
// relay-to-relay: A -> allocation A -> allocation B -> B, echoed back by B

export async function measureRelayToRelay(
  srv: RunningServer,
  size: number,
  rates: number[],
  durationS: number,
  log: (s: string) => void,
): Promise<LadderResult> {
  const [a, ra] = await connectAllocated(srv);
  const [b, rb] = await connectAllocated(srv);
  await a.createPermission(rb.address);
  await b.createPermission(ra.address);
  const chA = await a.channelBind(rb);
  await b.channelBind(ra);
  const sa = await takeOver(a, srv);
  const sb = await takeOver(b, srv);
  try {
    const receiver = new Receiver();
    let bCount = 0;
    let bStep = -1;
    // B echoes each message as it came: a ChannelData header already carrying B's channel to A.
    sb.on('message', (m) => {
      sb.send(m);
      const d = payloadOf(m);
      if (!receiver.isCurrent(d)) return;
      if (bStep !== receiver.step) {
        bStep = receiver.step;
        bCount = 0;
      }
      bCount++;
    });
    sa.on('message', (m) => receiver.onEcho(m));
    const peerReceived = async (s: number): Promise<number> => (bStep === s ? bCount : 0);
    return await ladder(flow(channelRing(chA, size), 4, sa, receiver, peerReceived), [srv.pid], rates, durationS, log);
  } finally {
    sa.close();
    sb.close();
  }
}

// ---------------------------------------------------------------------------------------------
// allocations: RSS, rate, sockets before and after allocate + free

export interface AllocationResult {
  count: number;
  rssIdle: number;
  rssWith: number;
  socketsIdle: number;
  socketsWith: number;
  socketsAfterFree: number;
  allocationsPerSecond: number;
  cpuPerAllocationUs: number;
  failures: number;
  freeFailures: number;
}

async function pool<T>(items: T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

export async function measureAllocations(srv: RunningServer, count: number): Promise<AllocationResult> {
  // One allocation made and freed first, on every server alike: the code that serves Allocate is
  // loaded and compiled once (for a Node relay, bytecode and JIT code: megabytes), and that is
  // not a cost of the 500 allocations measured.
  const warm = await TurnClient.connect({ host: srv.host ?? HOST, port: srv.port, ...srv.creds });
  warm.on('error', () => undefined);
  await warm.allocate({ lifetime: 600 }).then(() => freeClient(warm), () => warm.close());
  await sleep(500);
  const rssIdle = rssBytes(srv.pid);
  const socketsIdle = socketFds(srv.pid);
  const clients: TurnClient[] = [];
  for (let i = 0; i < count; i++) {
    const c = await TurnClient.connect({ host: srv.host ?? HOST, port: srv.port, ...srv.creds });
    c.on('error', () => undefined);
    clients.push(c);
  }
  let failures = 0;
  const ok: TurnClient[] = [];
  const cpu0 = cpuMicros(srv.pid);
  const t0 = performance.now();
  await pool(clients, 50, async (c) => {
    try {
      await c.allocate({ lifetime: 600 });
      ok.push(c);
    } catch {
      failures++;
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = cpuMicros(srv.pid) - cpu0;
  await sleep(500);
  const rssWith = rssBytes(srv.pid);
  const socketsWith = socketFds(srv.pid);
  let freeFailures = 0;
  await pool(clients, 50, async (c) => {
    if (ok.includes(c) && !(await freeClient(c))) freeFailures++;
    else if (!ok.includes(c)) await c.close();
  });
  // A server may close relay sockets a little after answering: give it up to 5 s.
  let socketsAfterFree = socketFds(srv.pid);
  for (let waited = 0; socketsAfterFree > socketsIdle && waited < 5000; waited += 250) {
    await sleep(250);
    socketsAfterFree = socketFds(srv.pid);
  }
  return {
    count,
    rssIdle,
    rssWith,
    socketsIdle,
    socketsWith,
    socketsAfterFree,
    allocationsPerSecond: ok.length / seconds,
    cpuPerAllocationUs: ok.length ? cpuUs / ok.length : NaN,
    failures,
    freeFailures,
  };
}
