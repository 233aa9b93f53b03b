/**
 * The churn soak of the signaling server, short (issue 15, "Soak"; the long run is
 * `npx tsx bench/soak/run.ts --minutes 30`, bench/README.md): real socket.io-client peers join,
 * signal, drop and resume, leave and disconnect at random against a real server, then every room's
 * roster on the server must match what its clients believe, no client may ever see `internal`,
 * the server's memory must stay flat after warm-up and nothing of the clients may stay behind.
 *
 * The seed is printed; `SOAK_SEED=<seed> npx vitest run test/soak` replays the same choices.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runSoak, type SoakResult } from '../../bench/soak/churn.js';
import { memoryGrowth } from '../../bench/soak/memory.js';
import { formatFigures, verdict } from '../../bench/soak/report.js';
import { startSoakServer } from '../../bench/soak/server.js';
import { createLogger } from '../../server/log.js';
import { createSignalingServer } from '../../server/signaling-server.js';
import { until } from '../signaling/harness.js';

const SEED = Number(process.env.SOAK_SEED) || (Math.random() * 2 ** 32) >>> 0 || 1;
const GRACE_MS = 1500;
const CAPACITY = 6;

/**
 * Bounds for 10 s of samples after a 5 s warm-up, on a shared 2-core machine. RSS moves by up to
 * ~10 MiB between samples whatever the load (V8 grows and shrinks its young generation, up to the
 * 32 MiB semi-spaces `npm start` allows), so 32 MiB catches only a gross leak; the heap after a
 * forced GC moves by ~0.3 MiB, so 3 MiB catches ~100 bytes kept per relayed signal. Smaller leaks
 * (a few KiB per closed socket) show in the exact counts instead: `livePeers` and the rest of
 * /api/stats must equal what the clients hold, and all be 0 once they have gone.
 */
const RSS_BOUND_MIB = 32;
const HEAP_BOUND_MIB = 3;
/** The handles that would betray a client's socket or timer kept by the server. */
const KINDS = ['TCPSocketWrap', 'Timeout'];

/** What a failed expectation prints first: the seed, and the run's figures. */
const about = (r: SoakResult) => `seed ${r.seed} (replay: SOAK_SEED=${r.seed} npx vitest run test/soak)\n${formatFigures(r)}`;

/** Proof the run churned: each kind of operation happened, often (a slow machine does about half as many). */
function expectChurn(r: SoakResult): void {
  const c = r.counts;
  for (const [what, n] of [['joins', c.joins], ['resumes', c.resumes], ['drops', c.drops], ['leaves', c.leaves], ['disconnects', c.disconnects], ['rejoins', c.rejoins], ['handshake joins', c.handshakeJoins]] as const) {
    expect(n, `${what}: ${about(r)}`).toBeGreaterThanOrEqual(10);
  }
  expect(c.signalsDelivered, about(r)).toBeGreaterThanOrEqual(200);
}

describe('churn soak', () => {
  it('a server in its own process through 15 s of churn: rosters match, no internal error, memory flat, nothing left', async () => {
    console.log(`[soak] seed ${SEED} (replay: SOAK_SEED=${SEED} npx vitest run test/soak)`);
    const server = await startSoakServer({ resumeGraceMs: GRACE_MS, roomCapacity: CAPACITY, maxConnectionsPerIp: 100 });
    let r: SoakResult;
    let exit: Awaited<ReturnType<typeof server.stop>>;
    let last: Awaited<ReturnType<typeof server.memory>> | undefined;
    try {
      r = await runSoak({ url: server.url, durationMs: 15_000, seed: SEED, peers: 40, rooms: 8, opsPerSecond: 120, resumeGraceMs: GRACE_MS, warmupMs: 5000, sampleEveryMs: 1000, memory: server.memory });
      // Inside the server, once the clients have gone: no more sockets or timers than before they
      // came (polled: the server closes the last HTTP request's socket just after answering it).
      const before = r.before!.handles!;
      const fewer = (m: NonNullable<typeof last>) => KINDS.every((k) => (m.handles![k] ?? 0) <= (before[k] ?? 0));
      await until(async () => fewer((last = await server.memory())), 'handles').catch(() => undefined);
    } finally {
      exit = await server.stop();
    }
    console.log(`${about(r)}\n\n${verdict(r, { rssGrowthMiB: RSS_BOUND_MIB, heapGrowthMiB: HEAP_BOUND_MIB }).map((c) => `- ${c.ok ? 'PASS' : 'FAIL'}: ${c.line}`).join('\n')}`);
    expect(r.errors.internal ?? 0, about(r)).toBe(0);
    expect(r.errors, `error codes other than room-full and unknown-peer: ${about(r)}`).toEqual({});
    expect(r.problems, about(r)).toEqual([]);
    expectChurn(r);
    const g = memoryGrowth(r.samples);
    expect(g, about(r)).toBeDefined();
    expect(g!.rssGrowthMiB, about(r)).toBeLessThan(RSS_BOUND_MIB);
    expect(g!.heapGrowthMiB, about(r)).toBeLessThan(HEAP_BOUND_MIB);
    for (const k of KINDS) expect(last!.handles![k] ?? 0, `${k} in the server: ${JSON.stringify(r.before!.handles)} before the soak, ${JSON.stringify(last!.handles)} after`).toBeLessThanOrEqual(r.before!.handles![k] ?? 0);
    expect(last!.errorLines, 'error lines in the server log (its stderr above)').toBe(0);
    // Stopped, the server process exits by itself: nothing it opened is still open.
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('in this process, a short run leaves no timer or socket behind once the server has stopped', async () => {
    const count = (kind: string) => process.getActiveResourcesInfo().filter((k) => k === kind).length;
    const before = { timers: count('Timeout'), sockets: count('TCPSocketWrap'), servers: count('TCPServerWrap') };
    const app = createSignalingServer({ port: 0, host: '127.0.0.1', turnEnabled: false, turnUrls: ['turn:127.0.0.1:3478'], turnSecret: 'soak-turn-secret-0123456789', log: createLogger('silent'), resumeGraceMs: GRACE_MS, roomCapacity: CAPACITY, maxConnectionsPerIp: 100 });
    let r: SoakResult;
    try {
      const { url } = await app.start();
      r = await runSoak({ url, durationMs: 3000, seed: SEED + 1, peers: 20, rooms: 4, opsPerSecond: 80, resumeGraceMs: GRACE_MS, warmupMs: 0, sampleEveryMs: 1000 });
    } finally {
      await app.stop();
    }
    expect(r.errors.internal ?? 0, about(r)).toBe(0);
    expect(r.problems, about(r)).toEqual([]);
    // Enough for the handles the clients and the server opened to be counted (each join a socket).
    expect(r.counts.joins + r.counts.resumes, about(r)).toBeGreaterThanOrEqual(20);
    expect(r.counts.drops, about(r)).toBeGreaterThanOrEqual(1);
    const now = () => ({ timers: count('Timeout'), sockets: count('TCPSocketWrap'), servers: count('TCPServerWrap') });
    await until(
      () => now().timers <= before.timers && now().sockets <= before.sockets && now().servers <= before.servers,
      `timers and sockets back to ${JSON.stringify(before)}, now ${JSON.stringify(now())}: ${process.getActiveResourcesInfo().join(',')}`,
    );
  }, 30_000);

  it('the long run refuses bad arguments with exit code 2 and says why', async () => {
    const run = promisify(execFile);
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'bench/soak/run.ts', ...args], { cwd: new URL('../../', import.meta.url), timeout: 60_000 });
    const cases: Array<[string[], RegExp]> = [
      [['--minutes', 'abc'], /--minutes must be a number from 0\.1 to 10080, not "abc"/],
      [['--minutes', '0'], /--minutes must be a number/],
      [['--peers', '2.5'], /--peers must be an integer/],
      [['--minutes', '1', '--seconds', '30'], /--minutes or --seconds, not both/],
      [['--minuts', '30'], /Unknown option '--minuts'/],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const err = (await cli(...args).then(() => undefined, (e: unknown) => e)) as { code?: number; stderr?: string } | undefined;
        expect(err?.code, args.join(' ')).toBe(2);
        expect(err?.stderr).toMatch(message);
        expect(err?.stderr).toMatch(/usage: npx tsx bench\/soak\/run\.ts/);
      }),
    );
  }, 90_000);
});
