/**
 * Global setup of the `nat` project: check the machine (root, ip, iptables, Chromium), build the
 * web client, build the NAT network (topology.ts), make a self-signed certificate for TURN over
 * TLS, start the three servers inside the public namespace, and hand the tests what they need.
 *
 * Not root (or a tool missing): the suite does not run and says why, loudly; with CI=true that is
 * an error instead. Teardown stops the servers and deletes every namespace (killing browsers and
 * servers still inside), also after failures; an exit handler does the same if vitest goes away
 * without teardown, and leftovers of killed runs are removed first.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium, namespaceWrapper } from '../support/browser.js';
import { isRoot, run } from '../support/netns.js';
import { REPO_ROOT, type ServerHandle, startServer } from '../support/server.js';
import { type HostInfo, PORTS, PUBLIC_NET, SERVER_IP, SERVER_IP6, type Topology, buildTopology, cleanupLeftovers, destroyTopology } from './topology.js';

export type ServerRole = 'relay' | 'stun' | 'lifetime' | 'restart' | 'dual';

export interface NatServer {
  role: ServerRole;
  baseUrl: string;
  /** Its URL over IPv6 (the dual-stack server only): what the IPv6-only host opens. */
  baseUrl6?: string | undefined;
  port: number;
  /** Relay addresses the server logged (null: no embedded relay). */
  turn: unknown;
}

export interface NatContext {
  /** Why the suite does not run here (null: it runs). */
  notRun: string | null;
  hosts: HostInfo[];
  /** Host id -> executablePath for Playwright (Chromium inside that host's namespace). */
  chromium: Record<string, string>;
  servers: Record<ServerRole, NatServer>;
  /** TURN over TLS configured on the relay server (openssl was there). */
  tls: boolean;
  /**
   * `--ignore-certificate-errors-spki-list=<sha256 of the test certificate's public key>`: makes
   * Chromium trust exactly the relay's self-signed certificate (given to the tls-only host only).
   */
  trustTurnCertArg: string | null;
  /** Allocation lifetime (s) of the lifetime server's relay. */
  lifetimeSeconds: number;
  publicNs: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nat: NatContext;
  }
}

export const LIFETIME_SECONDS = 30;
/** The secret the servers mint TURN credentials with (the relay-restart case's own relay needs it too). */
export const NAT_TURN_SECRET = 'nat-turn-secret-0123456789abcdef';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const has = (cmd: string) => run('sh', ['-c', `command -v ${cmd}`], { ignoreError: true }).trim() !== '';

/** What is missing to run the suite here; installs iptables/iproute2 when root and apt-get can. */
function missingPrerequisites(): string[] {
  if (!isRoot()) return ['root (ip netns and iptables need it)'];
  // conntrack (conntrack-tools): the NAT rebinding case flushes a router's mappings with it.
  const tools = [['ip', 'iproute2'], ['iptables', 'iptables'], ['conntrack', 'conntrack']];
  const pkgs = tools.filter(([cmd]) => !has(cmd!)).map(([, pkg]) => pkg!);
  if (pkgs.length && has('apt-get')) {
    console.log(`[nat] installing ${pkgs.join(' ')}`);
    run('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${pkgs.join(' ')}`], { ignoreError: true });
  }
  const missing = tools.filter(([cmd]) => !has(cmd!)).map(([, pkg]) => `${pkg} (apt-get install ${pkg})`);
  try {
    findChromium();
  } catch {
    missing.push('chromium (apt-get install chromium)');
  }
  return missing;
}

/** web/dist missing or older than a web source (scripts/test.sh builds anyway; this is for `vitest --project nat`). */
function webBuildStale(): boolean {
  const built = join(REPO_ROOT, 'web/dist/page.html');
  if (!existsSync(built)) return true;
  const newest = (p: string): number => {
    const st = statSync(p);
    return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newest(join(p, f)))) : st.mtimeMs;
  };
  return ['web/src', 'web/index.html', 'web/styles.css'].some((p) => newest(join(REPO_ROOT, p)) > statSync(built).mtimeMs);
}

interface TestCert {
  cert: string;
  key: string;
  /** base64 SHA-256 of the DER SubjectPublicKeyInfo (Chromium's SPKI pin format). */
  spki: string;
}

function selfSignedCert(dir: string): TestCert | null {
  if (!has('openssl')) return null;
  const cert = join(dir, 'turn-cert.pem');
  const key = join(dir, 'turn-key.pem');
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${SERVER_IP}`, '-addext', `subjectAltName=IP:${SERVER_IP}`, '-keyout', key, '-out', cert]);
  const der = execFileSync('openssl', ['pkey', '-in', key, '-pubout', '-outform', 'DER']);
  return { cert, key, spki: createHash('sha256').update(der).digest('base64') };
}

function serverEnv(role: ServerRole, tls: TestCert | null): Record<string, string> {
  const common = {
    HOST: '0.0.0.0',
    PUBLIC_IP: SERVER_IP,
    TURN_SECRET: NAT_TURN_SECRET,
    SESSION_SECRET: 'nat-session-secret-0123456789abcdef',
    // One relay worker per server: the servers' TURN ports are neighbours (PORTS), and worker i
    // would listen on TURN_PORT + i. Workers are tested in test/turn/pool.test.ts.
    TURN_WORKERS: '1',
    RATE_LIMIT_BURST: '5000',
    RATE_LIMIT_PER_SECOND: '2000',
    LOG_LEVEL: 'info',
    // The suite's "public" network is the documentation range 198.51.100.0/24 (RFC 5737), which
    // the relay denies as a peer by default (not globally reachable): opened here for the test.
    TURN_ALLOW_PEERS: `${PUBLIC_NET}.0/24`,
  };
  switch (role) {
    case 'relay':
      return {
        ...common,
        PORT: String(PORTS.relayHttp),
        TURN_PORT: String(PORTS.relayTurn),
        TURN_TLS_PORT: String(PORTS.relayTurnTls),
        TURN_MIN_PORT: '50000',
        TURN_MAX_PORT: '54999',
        ...(tls ? { TURN_TLS_CERT: tls.cert, TURN_TLS_KEY: tls.key } : {}),
      };
    case 'stun':
      // No relay for the clients: the only ICE server is a STUN URL (the relay server's Binding
      // service). TURN_URLS takes stun: URLs; the ice-server builder then hands out no turn: entry.
      return { ...common, PORT: String(PORTS.stunHttp), TURN_ENABLED: 'false', TURN_URLS: `stun:${SERVER_IP}:${PORTS.relayTurn}` };
    case 'lifetime':
      return {
        ...common,
        PORT: String(PORTS.lifetimeHttp),
        TURN_PORT: String(PORTS.lifetimeTurn),
        TURN_MIN_PORT: '55000',
        TURN_MAX_PORT: '59999',
        TURN_DEFAULT_LIFETIME: String(LIFETIME_SECONDS),
        TURN_MAX_LIFETIME: String(LIFETIME_SECONDS),
      };
    case 'restart':
      // The relay is not embedded: recovery.test.ts runs it as its own process, to kill it mid-call.
      return { ...common, PORT: String(PORTS.restartHttp), TURN_ENABLED: 'false', TURN_URLS: `turn:${SERVER_IP}:${PORTS.restartTurn}?transport=udp` };
    case 'dual':
      // Dual stack: signaling and the relay on `::` (IPv6 and IPv4 on one socket), the relay's
      // URLs on both addresses, relayed addresses of both families (PUBLIC_IP6 is TURN_RELAY_IP6).
      return {
        ...common,
        HOST: '::',
        PORT: String(PORTS.dualHttp),
        PUBLIC_IP6: SERVER_IP6,
        TURN_LISTEN_IP: '::',
        TURN_PORT: String(PORTS.dualTurn),
        TURN_TLS_PORT: '0',
        TURN_MIN_PORT: '49200',
        TURN_MAX_PORT: '49999',
        TURN_ALLOW_PEERS: `${PUBLIC_NET}.0/24,2001:db8::/32`,
      };
  }
}

function notRunContext(reason: string): NatContext {
  const none = (role: ServerRole): NatServer => ({ role, baseUrl: '', port: 0, turn: null });
  return { notRun: reason, hosts: [], chromium: {}, servers: { relay: none('relay'), stun: none('stun'), lifetime: none('lifetime'), restart: none('restart'), dual: none('dual') }, tls: false, trustTurnCertArg: null, lifetimeSeconds: LIFETIME_SECONDS, publicNs: '' };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = missingPrerequisites();
  if (missing.length) {
    const reason = `missing: ${missing.join(', ')}`;
    if (process.env.CI === 'true') {
      throw new Error(`[nat] CI=true and the NAT suite cannot run: ${reason}. It needs root, ip, iptables and Chromium; run the tests as root (scripts/test.sh installs the tools).`);
    }
    console.warn(
      '\n[nat] ************************************************************************\n' +
        `[nat] NAT TESTS NOT RUN: ${reason}\n` +
        '[nat] They build network namespaces with iptables NAT, which needs root.\n' +
        '[nat] ************************************************************************\n',
    );
    project.provide('nat', notRunContext(reason));
    return async () => undefined;
  }

  const tmpDir = join(REPO_ROOT, '.tmp', 'nat');
  mkdirSync(tmpDir, { recursive: true });
  const stale = cleanupLeftovers();
  if (stale.length) console.warn(`[nat] removed namespaces left by earlier runs: ${stale.join(', ')}`);
  if (webBuildStale()) execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });

  let topo: Topology | null = null;
  const servers: ServerHandle[] = [];
  const wrappers: string[] = [];
  const onExit = () => topo && destroyTopology(topo);
  // Interrupted (Ctrl-C, kill): delete the namespaces, which kills the servers and browsers in
  // them, then let the signal do what it would have done (vitest's own handler, or termination).
  const onSignal = (sig: NodeJS.Signals) => {
    onExit();
    topo = null;
    for (const s of SIGNALS) process.off(s, onSignal);
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };
  const teardown = async () => {
    const t0 = Date.now();
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    onExit();
    topo = null;
    process.off('exit', onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
    for (const w of wrappers) rmSync(w, { force: true });
    console.log(`[nat] teardown: servers stopped, namespaces deleted in ${Date.now() - t0} ms`);
  };
  // First in line: vitest's own handlers call process.exit(), and a process.exit() inside an
  // 'exit' listener ends the process before the listeners after it run.
  process.prependListener('exit', onExit);
  for (const s of SIGNALS) process.prependListener(s, onSignal);
  const t0 = Date.now();
  try {
    topo = await buildTopology();
    const built = Date.now();
    const tls = selfSignedCert(tmpDir);
    if (!tls) console.warn('[nat] openssl not found: the relay runs without TURN over TLS (turns:); case 5 then proves TCP only');
    const pub = topo.pub;
    const roles: ServerRole[] = ['relay', 'stun', 'lifetime', 'restart', 'dual'];
    const started = await Promise.all(roles.map((role) => startServer({ env: serverEnv(role, tls), ns: pub, timeoutMs: 90_000 })));
    servers.push(...started);
    const byRole = Object.fromEntries(
      roles.map((role, i) => [role, { role, baseUrl: `http://${SERVER_IP}:${started[i]!.port}`, baseUrl6: role === 'dual' ? `http://[${SERVER_IP6}]:${started[i]!.port}` : undefined, port: started[i]!.port, turn: started[i]!.turn }]),
    ) as Record<ServerRole, NatServer>;
    const chromiumPath = findChromium();
    wrappers.push(...topo.hosts.map((h) => namespaceWrapper(h.ns, chromiumPath, tmpDir)));
    const ctx: NatContext = {
      notRun: null,
      hosts: topo.hosts,
      chromium: Object.fromEntries(topo.hosts.map((h, i) => [h.id, wrappers[i]!])),
      servers: byRole,
      tls: tls !== null,
      trustTurnCertArg: tls && `--ignore-certificate-errors-spki-list=${tls.spki}`,
      lifetimeSeconds: LIFETIME_SECONDS,
      publicNs: topo.publicNs,
    };
    project.provide('nat', ctx);
    console.log(`[nat] ${topo.namespaces.length} namespaces (${topo.publicNs} ...) in ${built - t0} ms; servers up after ${Date.now() - built} ms: ${roles.map((r) => `${r} ${byRole[r].baseUrl}`).join(', ')}; TURN TLS: ${ctx.tls}`);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
