/**
 * A link with a fixed one-way delay (and optional loss) between two namespaces, for the
 * benchmarks and the NAT suite on a kernel without netem (issue 16):
 *
 *   left (eth0 10.<n>.1.2) ── l0 │ router: dl0 ⇄ delayline.py ⇄ dl1 │ r0 ── (eth0 10.<n>.2.2) right
 *
 * In the router, policy routing sends what arrives on l0 into the TUN device dl0 and what arrives
 * on r0 into dl1; the forwarder (test/support/delayline.py) writes each packet to the other device
 * after the delay, where the kernel receives it and routes it on as usual. So every packet between
 * the sides, in either direction, is late by exactly the one-way delay plus the forwarder's own
 * cost (measured by bench/delay/probe.ts: see bench/README.md). Needs root.
 */
import { type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Netns, ownedName } from './netns.js';

const FORWARDER = fileURLToPath(new URL('./delayline.py', import.meta.url));
/** Debian's python3 (the first python3 on PATH may be another one; this needs only the stdlib either way). */
const PYTHON = '/usr/bin/python3';

export interface DelayedLinkOptions {
  /** Added to every packet, each way, in ms (RTT gains twice this). */
  oneWayMs: number;
  /** Share of packets dropped at random, each way, in [0, 1). Default 0. */
  loss?: number;
  /** Second octet of the 10.x.0.0/16 the link uses. Default: from the pid. */
  net?: number;
  /** Namespace name prefix. Default 'sbdl-'. */
  prefix?: string;
}

export interface DelayedLink {
  left: Netns;
  right: Netns;
  router: Netns;
  leftAddress: string;
  rightAddress: string;
  /** The two sides' subnets (`10.<n>.1.0/24`, `10.<n>.2.0/24`). */
  leftCidr: string;
  rightCidr: string;
  /** Stops the forwarder (its counts) and deletes the three namespaces; idempotent. */
  stop(): Promise<DelayStats | undefined>;
}

export interface DelayStats {
  forwarded: Record<string, number>;
  dropped: Record<string, number>;
  /** Most a packet left after its due time, ms: the forwarder's own lateness. */
  maxLateMs: number;
  queuedMax: number;
}

/**
 * The first line `child` prints from now on that starts with `prefix`; rejects naming `who` when
 * none comes within `ms` or the child exits first. Its stderr, when piped, goes into the error.
 */
export function waitLine(child: ChildProcess, prefix: string, ms: number, who = 'delayline.py'): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => done(new Error(`${who}: no "${prefix}" line within ${ms} ms: ${err || out}`)), ms);
    const onData = (d: Buffer) => {
      out += d.toString();
      // Complete lines only: a chunk may end inside one.
      const line = out.split('\n').slice(0, -1).find((l) => l.startsWith(prefix));
      if (line !== undefined) done(undefined, line);
    };
    const onErr = (d: Buffer) => (err += d.toString());
    const onExit = (code: number | null) => done(new Error(`${who} exited (${code}): ${err || out}`));
    const done = (e?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (e) reject(e);
      else resolve(line!);
    };
    child.stdout!.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** Builds the three namespaces and starts the forwarder; everything is removed again on failure. */
export async function createDelayedLink(o: DelayedLinkOptions): Promise<DelayedLink> {
  if (!(o.oneWayMs >= 0 && o.oneWayMs <= 10_000)) throw new Error(`oneWayMs must be 0-10000, not ${o.oneWayMs}`);
  const loss = o.loss ?? 0;
  if (!(loss >= 0 && loss < 1)) throw new Error(`loss must be in [0, 1), not ${loss}`);
  const n = o.net ?? 100 + (process.pid % 100);
  const prefix = o.prefix ?? 'sbdl-';
  const made: Netns[] = [];
  let forwarder: ChildProcess | undefined;
  const teardown = () => {
    forwarder?.kill('SIGKILL');
    for (const ns of made.reverse()) ns.delete();
  };
  try {
    const base = ownedName(prefix);
    const router = Netns.create(`${base}r`);
    made.push(router);
    const left = Netns.create(`${base}a`);
    made.push(left);
    const right = Netns.create(`${base}b`);
    made.push(right);
    const [l, r] = [`10.${n}.1`, `10.${n}.2`];
    router.addVeth('l0', 'eth0', left);
    router.addVeth('r0', 'eth0', right);
    router.addAddress('l0', `${l}.1/24`);
    router.addAddress('r0', `${r}.1/24`);
    left.addAddress('eth0', `${l}.2/24`);
    right.addAddress('eth0', `${r}.2/24`);
    left.addRoute('default', `${l}.1`, 'eth0');
    right.addRoute('default', `${r}.1`, 'eth0');
    router.enableForwarding();
    forwarder = router.spawn(PYTHON, [FORWARDER, '--a', 'dl0', '--b', 'dl1', '--delay-ms', String(o.oneWayMs), '--loss', String(loss)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitLine(forwarder, 'ready', 5000);
    // A packet comes back into the router from a TUN device with a source the main table routes
    // elsewhere: reverse-path filtering must be off, or the kernel drops it.
    for (const dev of ['all', 'default', 'dl0', 'dl1', 'l0', 'r0']) router.exec('sysctl', ['-qw', `net.ipv4.conf.${dev}.rp_filter=0`]);
    for (const dev of ['dl0', 'dl1']) {
      router.exec('sysctl', ['-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      router.ip('link', 'set', dev, 'up');
    }
    router.ip('route', 'add', 'default', 'dev', 'dl0', 'table', '100');
    router.ip('route', 'add', 'default', 'dev', 'dl1', 'table', '101');
    router.ip('rule', 'add', 'iif', 'l0', 'lookup', '100');
    router.ip('rule', 'add', 'iif', 'r0', 'lookup', '101');
    const fwd = forwarder;
    let stopped: Promise<DelayStats | undefined> | undefined;
    return {
      left,
      right,
      router,
      leftAddress: `${l}.2`,
      rightAddress: `${r}.2`,
      leftCidr: `${l}.0/24`,
      rightCidr: `${r}.0/24`,
      stop: () =>
        (stopped ??= (async () => {
          let stats: DelayStats | undefined;
          if (fwd.exitCode === null) {
            const line = waitLine(fwd, 'stats ', 3000).catch(() => undefined);
            fwd.kill('SIGTERM');
            const l2 = await line;
            stats = l2 ? (JSON.parse(l2.slice(6)) as DelayStats) : undefined;
          }
          teardown();
          return stats;
        })()),
    };
  } catch (err) {
    teardown();
    throw err;
  }
}
