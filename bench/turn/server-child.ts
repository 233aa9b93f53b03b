/**
 * Child process entry for the Node relays under test, so that each one's CPU time, RSS and sockets
 * are its own. The benchmark bundles this file (and turn/relay.ts) with esbuild and runs the bundle
 * with plain `node` (no tsx loader in the measured process):
 * `node server-child.mjs <ours|nodeturn|bare> '<json>'`.
 *
 * Prints one JSON line `{"pid", "port"}` when listening; exits on SIGTERM after stopping the
 * relay (node-turn does not close its relay sockets on stop, so the exit is forced).
 */
import { createRequire } from 'node:module';
import { BareForwarder } from './bare-forwarder.js';

export interface ChildConfig {
  host: string;
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
}

interface Stoppable {
  stop(): Promise<void> | void;
}

async function startOurs(c: ChildConfig): Promise<[Stoppable, number]> {
  // Computed specifier: turn/relay.ts may not exist yet in this tree, and tsc must not need it.
  const mod = (await import(c.relayModule)) as {
    createRelay: (cfg: unknown, opts?: object) => Stoppable & { start(): Promise<{ udp: { port: number } }> };
  };
  const relay = mod.createRelay(
    {
    listenIp: c.host,
    relayIp: c.host,
    port: c.port,
    tlsPort: 0,
    realm: c.realm,
    secret: c.secret,
    minPort: c.minPort,
    maxPort: c.maxPort,
    allowPeers: ['127.0.0.0/8'],
    staticUsers: [],
    defaultLifetime: 600,
    maxLifetime: 3600,
    userQuota: 100_000,
    totalQuota: 100_000,
    maxBps: 0,
    maxPermissions: 64,
    maxChannels: 64,
    },
    // Every benchmark client comes from 127.0.0.1: the per-source-IP limit on 401 answers (10/s,
    // burst 50, meant for one attacker address) would otherwise pace 500 Allocates at 10/s.
    { unauthorizedPerSecond: 1_000_000, unauthorizedBurst: 1_000_000 },
  );
  const addrs = await relay.start();
  return [relay, addrs.udp.port];
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
  nodeturn: startNodeTurn,
  bare: startBare,
};
const starter = starters[kind ?? ''];
if (!starter) {
  console.error(`server-child: unknown kind ${kind}`);
  process.exit(2);
}
const [server, port] = await starter(cfg);
process.stdout.write(JSON.stringify({ pid: process.pid, port }) + '\n');
process.on('SIGTERM', () => {
  void Promise.resolve(server.stop()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
