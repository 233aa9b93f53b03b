/**
 * Calls that survive the network (issue 15), across real kernel NAT: with video on and a 50 MB
 * file in flight, a host moves to another network (cone <-> cone direct, symmetric <-> symmetric
 * relayed), a router forgets its mappings (NAT rebinding), or the relay process is killed and
 * started again. Each time the peer connection and its data channel are never closed (the SDK
 * restarts ICE in place), the file arrives with the same SHA-256, and video frames are decoded
 * again. The recovery time, from the new path being usable (the test's disruption done) to the
 * first data-channel message at the receiver after the outage (the end of the longest silence of
 * 300 ms or more that ends after it), is printed for every run; the cases run
 * one after another on hosts of their own (topology.ts), NAT_RECOVERY_RUNS times each (default 3).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server.js';
import { type NatClient, browserIn, closeBrowsers, nat, poll, roomName, waitConnectedPath } from './harness.js';
import { openPage, randomFileInPage } from '../support/browser.js';
import { NAT_TURN_SECRET, type ServerRole } from './setup.js';
import { PORTS, SERVER_IP, currentRouter, flushConntrack, switchNetwork } from './topology.js';

const ctx = nat();
const RUNS = Number(process.env.NAT_RECOVERY_RUNS ?? 3);
const FILE_BYTES = 50 * 1024 * 1024;
const results: Array<{ name: string; run: number; ms: number; restarts: number }> = [];

/** In the page before it runs: every peer connection and data channel, closes, and message arrival times. */
function recorder(): void {
  const rec = { pcs: [] as RTCPeerConnection[], channelsClosed: 0, pcsClosed: 0, arrivals: [] as number[] };
  Object.defineProperty(window, '__rec', { value: rec });
  // Closes of channels whose connection had connected (the warm-up's and a dropped prepared offer's do not count).
  const watch = (ch: RTCDataChannel, connected: () => boolean) => {
    ch.addEventListener('close', () => connected() && rec.channelsClosed++);
    ch.addEventListener('message', () => rec.arrivals.push(Date.now()));
  };
  const Orig = window.RTCPeerConnection;
  window.RTCPeerConnection = new Proxy(Orig, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      rec.pcs.push(pc);
      let wasConnected = false;
      pc.addEventListener('datachannel', (e) => watch(e.channel, () => wasConnected));
      const create = pc.createDataChannel.bind(pc);
      pc.createDataChannel = (...a: Parameters<RTCPeerConnection['createDataChannel']>) => {
        const ch = create(...a);
        watch(ch, () => wasConnected);
        return ch;
      };
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') wasConnected = true;
        if (pc.connectionState === 'closed' && wasConnected) rec.pcsClosed++;
      });
      return pc;
    },
  });
}

interface Rec {
  connectedPcs: number;
  pcsClosed: number;
  channelsClosed: number;
  firstArrivalAfter: number | null;
}

async function rec(c: NatClient, after = 0, until = Infinity): Promise<Rec> {
  return c.page.evaluate(([t, end]) => {
    const r = (window as unknown as { __rec: { pcs: RTCPeerConnection[]; channelsClosed: number; pcsClosed: number; arrivals: number[] } }).__rec;
    // The first message after the outage: the end of the longest silence (300 ms or more) that
    // ends after `t` (messages already in flight may still land just after the path broke, and a
    // sender paused on its buffer may leave a short silence around `t`: the outage is the longest);
    // none: the first message after `t` (data never stopped). Only up to `end`, when the file was
    // done: later messages (chat, call state) come seconds apart by nature.
    let first: number | null = null;
    let longest = 0;
    for (let i = 1; i < r.arrivals.length; i++) {
      const gap = r.arrivals[i]! - r.arrivals[i - 1]!;
      if (r.arrivals[i]! >= t && r.arrivals[i]! <= end && gap >= 300 && gap > longest) {
        first = r.arrivals[i]!;
        longest = gap;
      }
    }
    first ??= r.arrivals.find((a) => a >= t) ?? null;
    return { connectedPcs: r.pcs.filter((p) => p.connectionState !== 'new' && p.connectionState !== 'closed').length, pcsClosed: r.pcsClosed, channelsClosed: r.channelsClosed, firstArrivalAfter: first };
  }, [after, until] as const);
}

async function open(role: ServerRole, hostId: string, room: string, name: string): Promise<NatClient> {
  const base = ctx.servers[role].baseUrl;
  const { context, page, logs } = await openPage(await browserIn(hostId), `${base}/`);
  await context.addInitScript(recorder);
  await page.evaluate((n) => localStorage.setItem('switchboard.name', n), name);
  await page.goto(`${base}/r/${room}`);
  await poll(`the client to start on ${base}`, () => page.evaluate(() => 'switchboard' in window), 20_000);
  return {
    host: hostId,
    page,
    logs,
    state: () => page.evaluate(() => (window as unknown as { switchboard: { state(): import('./harness.js').HookState } }).switchboard.state()),
    selectedPair: async () => null,
    close: () => context.close(),
  };
}

/** The relay-restart case's relay: its own process in the public namespace, same secret as the server's. */
function startRelay(): Promise<ChildProcess> {
  const env = { ...process.env, PUBLIC_IP: SERVER_IP, TURN_SECRET: NAT_TURN_SECRET, TURN_PORT: String(PORTS.restartTurn), TURN_TLS_PORT: '0', TURN_MIN_PORT: '60000', TURN_MAX_PORT: '64999', TURN_WORKERS: '1', LOG_LEVEL: 'info' };
  const proc = spawn('ip', ['netns', 'exec', ctx.publicNs, process.execPath, '--import', 'tsx', 'turn/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('turn relay started')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => reject(new Error(`relay exited (${code}):\n${out}`)));
  });
}

let relay: ChildProcess | null = null;
const host = (id: string) => ctx.hosts.find((h) => h.id === id)!;

interface Case {
  name: string;
  role: ServerRole;
  a: string;
  b: string;
  relayed: boolean;
  /** The disruption; resolves when the new path is usable. */
  disrupt(run: number): Promise<void>;
}

const CASES: Case[] = [
  { name: 'network switch, cone <-> cone, direct', role: 'stun', a: 'cone3', b: 'cone4', relayed: false, disrupt: (run) => switchNetwork(host('cone3'), run % 2 ? 'spare' : 'main') },
  { name: 'network switch, symmetric <-> symmetric, relayed', role: 'relay', a: 'sym3', b: 'sym4', relayed: true, disrupt: (run) => switchNetwork(host('sym3'), run % 2 ? 'spare' : 'main') },
  { name: 'NAT rebinding (conntrack flush), symmetric <-> symmetric, relayed', role: 'relay', a: 'sym3', b: 'sym4', relayed: true, disrupt: () => flushConntrack(currentRouter(host('sym3'))) },
  {
    name: 'relay restart, symmetric <-> symmetric, relayed',
    role: 'restart',
    a: 'sym3',
    b: 'sym4',
    relayed: true,
    disrupt: async () => {
      relay?.kill('SIGKILL');
      await new Promise((r) => relay!.once('exit', r));
      relay = await startRelay();
    },
  },
];

if (ctx.notRun) {
  describe('calls that survive the network', () => {
    it.skip(`NOT RUN: ${ctx.notRun}`, () => undefined);
  });
}

describe.skipIf(ctx.notRun)('calls that survive the network (ICE restart in place, real NAT)', () => {
  afterAll(async () => {
    relay?.kill('SIGKILL');
    for (const id of ['cone3', 'sym3']) if (currentRouter(host(id)) !== host(id).router) await switchNetwork(host(id), 'main');
    await closeBrowsers();
    const by = new Map<string, number[]>();
    for (const r of results) by.set(r.name, [...(by.get(r.name) ?? []), r.ms]);
    for (const [name, ms] of by) {
      const sorted = [...ms].sort((x, y) => x - y);
      console.log(`[nat] recovery ${name}: runs ${ms.join(', ')} ms; median ${sorted[Math.floor(sorted.length / 2)]} ms`);
    }
  });

  for (const c of CASES) {
    for (let run = 1; run <= RUNS; run++) {
      it(`${c.name} (run ${run})`, { timeout: 240_000 }, async () => {
        if (c.role === 'restart' && !relay) relay = await startRelay();
        const room = roomName('recover');
        const alice = await open(c.role, c.a, room, `Alice@${c.a}`);
        const clients = [alice];
        try {
          await poll('alice joined', async () => (await alice.state()).status === 'joined');
          const bob = await open(c.role, c.b, room, `Bob@${c.b}`);
          clients.push(bob);
          for (const x of [alice, bob]) {
            const p = await waitConnectedPath(x);
            expect(p.path).toBe(c.relayed ? 'relay' : 'direct');
          }
          const generation = (await alice.state()).peers[0]!.generation;
          await alice.page.click('[data-testid=start-call]');
          await bob.page.click('[data-testid=start-call]');
          for (const x of [alice, bob]) await poll(`${x.host} decodes video`, async () => ((await x.state()).peers[0]?.framesDecoded ?? 0) > 0, 30_000);
          const expected = await randomFileInPage(alice.page, FILE_BYTES, 'big.bin');
          await alice.page.click('[data-testid=file-send]');
          await poll('the file is under way', async () => ((await bob.state()).transfers[0]?.transferred ?? 0) > FILE_BYTES / 20, 60_000, 100);
          const framesBefore = (await bob.state()).peers[0]!.framesDecoded;

          await c.disrupt(run);
          const usable = Date.now();

          const received = await poll('bob has the file', async () => {
            const t = (await bob.state()).transfers.find((x) => x.direction === 'in');
            return t && t.state !== 'receiving' && t.state !== 'paused' ? t : null;
          }, 180_000, 250);
          const why = async () => JSON.stringify({ alice: await alice.state().then((x) => ({ peers: x.peers, log: x.recoveryLog, transfers: x.transfers })), bob: await bob.state().then((x) => ({ peers: x.peers, log: x.recoveryLog, transfers: x.transfers })) });
          if (received.state !== 'done') throw new Error(`the file did not arrive: ${await why()}`);
          expect(received).toMatchObject({ state: 'done', verified: true, sha256: expected, size: FILE_BYTES });
          const after = await rec(bob, usable, Date.now());
          const ms = after.firstArrivalAfter! - usable;
          const sa = await alice.state();
          results.push({ name: c.name, run, ms, restarts: sa.recoveries.restarts });
          const steps = async (x: NatClient) => (await x.state()).recoveryLog.map((r) => `${r.phase}(${r.reason}) +${r.ms - usable} ms`).join(', ') || 'none';
          console.log(`[nat] recovery ${c.name}, run ${run}: first data ${ms} ms after the new path was usable; ICE restarts: ${c.a} ${await steps(alice)}; ${c.b} ${await steps(bob)}`);
          await poll('bob decodes video again', async () => ((await bob.state()).peers[0]?.framesDecoded ?? 0) > framesBefore + 10, 30_000);
          // The same connection all along: never closed, no new one, its data channel never closed.
          for (const x of [alice, bob]) {
            const r = await rec(x);
            expect(r, x.host).toMatchObject({ pcsClosed: 0, channelsClosed: 0, connectedPcs: 1 });
            const s = await x.state();
            expect(s.peers[0]!.conn).toBe('connected');
            expect(s.recoveries.replaced).toBe(0);
          }
          expect(sa.peers[0]!.generation).toBe(generation);
        } finally {
          await Promise.all(clients.map((x) => x.close().catch(() => undefined)));
        }
      });
    }
  }
});
