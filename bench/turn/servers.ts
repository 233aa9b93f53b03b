/**
 * Start and stop each relay under test on loopback, on ports chosen at run time.
 *
 * - coturn: /usr/bin/turnserver with a generated config in a temp dir (REST secret, loopback
 *   peers allowed, private relay port window, no CLI/TLS/DTLS, its own pid file and user DB).
 * - ours, nodeturn, bare: `server-child.ts` in a child process of their own, bundled with esbuild
 *   first and run with plain `node`, so the measured process carries no tsx loader (about 30 MB
 *   of RSS and a compile on first load).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { restCredentials } from '../../turn/auth/rest.js';
import { TurnClient } from '../../turn/client/index.js';
import { HOST, HOST6, RELAY_IP6, REALM, freePort, readyLine, relayPortWindow, sleep, stopChild } from './common.js';
import type { ChildConfig } from './server-child.js';

export const SERVER_NAMES = ['ours', 'ours6', 'coturn', 'nodeturn', 'bare'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const SERVER_LABELS: Record<ServerName, string> = {
  ours: 'switchboard (turn/)',
  ours6: 'switchboard over IPv6 (::1)',
  coturn: 'coturn',
  nodeturn: 'node-turn 0.0.6',
  bare: 'bare dgram forwarder',
};

const RELAY_SOURCE = new URL('../../turn/relay.ts', import.meta.url);
const POOL_SOURCE = new URL('../../turn/pool.ts', import.meta.url);
/** Inside node_modules so that the bundles' bare imports (packages stay external) resolve; one per run. */
const BUILD_DIR = fileURLToPath(new URL(`../../node_modules/.cache/bench-turn/${process.pid}/`, import.meta.url));

export const COTURN_BIN = '/usr/bin/turnserver';

export interface Credentials {
  username: string;
  password: string;
}

export interface RunningServer {
  name: ServerName;
  pid: number;
  port: number;
  creds: Credentials;
  /** The address its clients use: HOST, or HOST6 for `ours6`. */
  host?: string | undefined;
  stop(): Promise<void>;
}

/** Why a server cannot run on this machine (undefined when it can). */
export function unavailable(name: ServerName): string | undefined {
  if (name === 'coturn' && !existsSync(COTURN_BIN)) return `coturn is not installed (${COTURN_BIN} missing; apt-get install coturn)`;
  if ((name === 'ours' || name === 'ours6') && !existsSync(RELAY_SOURCE)) {
    return 'turn/relay.ts (createRelay) does not exist yet in this tree';
  }
  return undefined;
}

export function coturnVersion(): string {
  const q = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'coturn'], { encoding: 'utf8' });
  return q.status === 0 && q.stdout ? q.stdout.trim() : 'unknown';
}

interface Bundles {
  child: string;
  relay: string;
  /** turn/pool.ts (startRelayPool) and the workers' entry, turn/child-entry.ts. */
  pool: string;
  childEntry: string;
}

let built: Promise<Bundles> | undefined;

/** Bundle server-child.ts (and turn/relay.ts, turn/pool.ts and its workers' entry when they exist) once per run. */
function buildChildren(): Promise<Bundles> {
  built ??= (async () => {
    const entryPoints: Record<string, string> = { 'server-child': fileURLToPath(new URL('./server-child.ts', import.meta.url)) };
    if (existsSync(RELAY_SOURCE)) entryPoints.relay = fileURLToPath(RELAY_SOURCE);
    if (existsSync(POOL_SOURCE)) {
      entryPoints.pool = fileURLToPath(POOL_SOURCE);
      entryPoints['child-entry'] = fileURLToPath(new URL('../../turn/child-entry.ts', import.meta.url));
    }
    await build({
      entryPoints,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outdir: BUILD_DIR,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    return {
      child: join(BUILD_DIR, 'server-child.mjs'),
      relay: pathToFileURL(join(BUILD_DIR, 'relay.mjs')).href,
      pool: pathToFileURL(join(BUILD_DIR, 'pool.mjs')).href,
      childEntry: join(BUILD_DIR, 'child-entry.mjs'),
    };
  })();
  return built;
}

/** Remove this run's bundles. */
export function removeBuild(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
}

/** Our relay as `workers` processes (turn/pool.ts): every worker's pid and port besides the supervisor's. */
export interface RunningPool extends RunningServer {
  workers: number;
  pids: number[];
  ports: number[];
}

/** Why a relay of several workers cannot run on this tree (undefined when it can). */
export function poolUnavailable(): string | undefined {
  return existsSync(POOL_SOURCE) ? undefined : 'turn/pool.ts (startRelayPool) does not exist in this tree';
}

/**
 * Our relay as `workers` worker processes under a supervising one, as `npm start` and `npm run
 * turn` run it. Each worker binds a free port of its own (TURN_PORT=0: consecutive ports from a
 * free base need not all be free on a shared machine) and its slice of the relay port window.
 */
export async function startPool(workers: number): Promise<RunningPool> {
  const secret = randomBytes(24).toString('base64url');
  const creds = restCredentials(secret, 'bench', 3600);
  const win = relayPortWindow();
  const bundles = await buildChildren();
  const cfg: ChildConfig = { ...childConfig(0, win, secret, creds, bundles), workers, poolModule: bundles.pool, childEntry: bundles.childEntry };
  const child = spawn(process.execPath, [bundles.child, 'pool', JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ready = await readyLine<{ pid: number; port: number; pids: number[]; ports: number[] }>(child, `pool of ${workers}`);
    return { name: 'ours', pid: ready.pid, port: ready.port, creds, workers, pids: ready.pids, ports: ready.ports, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

function childConfig(port: number, win: { min: number; max: number }, secret: string, creds: Credentials, bundles: Bundles): ChildConfig {
  return {
    host: HOST,
    port,
    minPort: win.min,
    maxPort: win.max,
    realm: REALM,
    secret,
    users: { [creds.username]: creds.password },
    nodeTurnPath: createRequire(import.meta.url).resolve('node-turn'),
    relayModule: bundles.relay,
  };
}

export async function startServer(name: ServerName): Promise<RunningServer> {
  const secret = randomBytes(24).toString('base64url');
  const creds = restCredentials(secret, 'bench', 3600);
  const port = await freePort();
  const win = relayPortWindow();
  if (name === 'coturn') return startCoturn(secret, creds, port, win);
  const bundles = await buildChildren();
  const cfg = childConfig(port, win, secret, creds, bundles);
  // ours6: the same relay, its clients, listener and echo peer on ::1 (RELAY_IP6 advertised).
  const host = name === 'ours6' ? HOST6 : HOST;
  if (name === 'ours6') Object.assign(cfg, { host, relayIp: RELAY_IP6 });
  // BENCH_TURN_CPU_PROF=<dir>: V8 CPU profile of the Node server (written when it stops).
  const prof = process.env.BENCH_TURN_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_TURN_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, bundles.child, name === 'ours6' ? 'ours' : name, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ready = await readyLine<{ pid: number; port: number }>(child, name);
    return { name, pid: ready.pid, port: ready.port, creds, host, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

async function startCoturn(
  secret: string,
  creds: Credentials,
  port: number,
  win: { min: number; max: number },
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-coturn-'));
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    [
      `listening-ip=${HOST}`,
      `relay-ip=${HOST}`,
      `listening-port=${port}`,
      `min-port=${win.min}`,
      `max-port=${win.max}`,
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      `realm=${REALM}`,
      'fingerprint',
      'allow-loopback-peers',
      'no-cli',
      'no-tls',
      'no-dtls',
      'no-tcp-relay',
      'no-multicast-peers',
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `userdb=${join(dir, 'turndb')}`,
      `log-file=${join(dir, 'turn.log')}`,
      'simple-log',
      'no-stdout-log',
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn(COTURN_BIN, ['-c', conf], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForBinding(port, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { name: 'coturn', pid: child.pid!, port, creds, stop };
}

/** Poll with STUN Binding until the server answers (coturn prints nothing useful on stdout). */
async function waitForBinding(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with code ${child.exitCode}`);
    const c = await TurnClient.connect({ host: HOST, port, rto: 100, maxRetransmits: 1 });
    try {
      await c.binding();
      return;
    } catch {
      await sleep(100);
    } finally {
      await c.close();
    }
  }
  throw new Error('turnserver did not answer STUN Binding within 15 s');
}
