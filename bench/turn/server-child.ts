/**
 * Child process entry for the Node relays under test, so that each one's CPU time, RSS and sockets
 * are its own. The benchmark bundles this file (and turn/relay.ts) with esbuild and runs the bundle
 * with plain `node` (no tsx loader in the measured process):
 * `node server-child.mjs <ours|pool|nodeturn|bare> '<json>'` (`pool`: our relay as `workers`
 * worker processes, turn/pool.ts, this process supervising them).
 *
 * Prints one JSON line `{"pid", "port"}` when listening (a pool adds every worker's `pids` and `ports`); exits on SIGTERM after stopping the
 * relay (node-turn does not close its relay sockets on stop, so the exit is forced).
 */
import { createRequire } from 'node:module';
import { BareForwarder } from './bare-forwarder.js';

export interface ChildConfig {
  host: string;
  /** Our relay's relayed address when it is not `host` (ours6: RELAY_IP6, see common.ts). */
  relayIp?: string;
  port: number;
  minPort: number;
  maxPort: number;
  realm: string;
  secret: string;
  /** node-turn has no REST secret: the static users it should know. */
  users: Record<string, string>;
  /** Absolute path of node-turn's main file (the bundle lives outside the repo's module tree). */
  nodeTurnPath: string;
  /** URL of the module exporting createRelay (turn/relay.ts, bundled). */
  relayModule: string;
  /** `pool` only: the worker count, the module exporting startRelayPool and the workers' entry file (bundled). */
  workers?: number;
  poolModule?: string;
  childEntry?: string;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

/** Our relay's config for the benchmark: every limit out of the way. */
function oursConfig(c: ChildConfig): object {
  return {
    listenIp: c.host,
    relayIp: c.relayIp ?? c.host,
    port: c.port,
    tlsPort: 0,
    realm: c.realm,
    secret: c.secret,
    minPort: c.minPort,
    maxPort: c.maxPort,
    allowPeers: ['127.0.0.0/8', '::1/128'],
    staticUsers: [],
    defaultLifetime: 600,
    maxLifetime: 3600,
    userQuota: 100_000,
    totalQuota: 100_000,
    maxBps: 0,
    maxPermissions: 64,
    maxChannels: 64,
    workers: c.workers ?? 1,
  };
}

// Every benchmark client comes from 127.0.0.1: the per-source-IP limit on 401 answers (10/s,
// burst 50, meant for one attacker address) would otherwise pace 500 Allocates at 10/s.
const OURS_OPTIONS = { unauthorizedPerSecond: 1_000_000, unauthorizedBurst: 1_000_000 };

async function startOurs(c: ChildConfig): Promise<[Stoppable, number]> {
  // Computed specifier: turn/relay.ts may not exist yet in this tree, and tsc must not need it.
  const mod = (await import(c.relayModule)) as {
    createRelay: (cfg: unknown, opts?: object) => Stoppable & { start(): Promise<{ udp: { port: number } }> };
  };
  const relay = mod.createRelay(oursConfig(c), OURS_OPTIONS);
  const addrs = await relay.start();
  return [relay, addrs.udp.port];
}

/** Filled by startPool for the ready line. */
let poolInfo: { pids: number[]; ports: number[] } | undefined;

async function startPool(c: ChildConfig): Promise<[Stoppable, number]> {
  const mod = (await import(c.poolModule!)) as {
    startRelayPool: (cfg: unknown, opts?: object) => Stoppable & { pids: number[]; start(): Promise<{ udp: { port: number }; workers: Array<{ udp: { port: number } }> }> };
  };
  const pool = mod.startRelayPool(oursConfig(c), { relayOptions: OURS_OPTIONS, entry: c.childEntry });
  const addrs = await pool.start();
  poolInfo = { pids: pool.pids, ports: addrs.workers.map((w) => w.udp.port) };
  return [pool, addrs.udp.port];
}

async function startNodeTurn(c: ChildConfig): Promise<[Stoppable, number]> {
  const Turn = createRequire(import.meta.url)(c.nodeTurnPath) as new (o: object) => { start(): void; stop(): void };
  const server = new Turn({
    listeningPort: c.port,
    listeningIps: [c.host],
    relayIps: [c.host],
    minPort: c.minPort,
    maxPort: c.maxPort,
    authMech: 'long-term',
    credentials: c.users,
    realm: c.realm,
    debugLevel: 'OFF',
  });
  server.start();
  await new Promise((r) => setTimeout(r, 200)); // start() has no callback: give bind a moment
  return [server, c.port];
}

async function startBare(c: ChildConfig): Promise<[Stoppable, number]> {
  const f = new BareForwarder(c.host);
  return [f, await f.start(c.port)];
}

const [kind, json] = process.argv.slice(2);
const cfg = JSON.parse(json ?? '{}') as ChildConfig;
const starters: Record<string, (c: ChildConfig) => Promise<[Stoppable, number]>> = {
  ours: startOurs,
  pool: startPool,
  nodeturn: startNodeTurn,
  bare: startBare,
};
const starter = starters[kind ?? ''];
if (!starter) {
  console.error(`server-child: unknown kind ${kind}`);
  process.exit(2);
}
const [server, port] = await starter(cfg);
process.stdout.write(JSON.stringify({ pid: process.pid, port, ...poolInfo }) + '\n');
process.on('SIGTERM', () => {
  void Promise.resolve(server.stop()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
