/**
 * What both browser benchmarks share: a network namespace (as root; created here, deleted at the
 * end also on failure or Ctrl-C), the real Switchboard server with its embedded TURN relay and the
 * pages/PeerJS server inside it, and one warm Chromium (inside the namespace through a wrapper
 * script) whose contexts carry the in-page instrumentation (instrument.ts).
 *
 * Not root: everything runs on this machine's loopback without a namespace, with a loud warning;
 * with CI=true that is an error (as in the e2e suite).
 *
 * With `rttMs` (issue 16) the servers run on the far side of a delay line (test/support/
 * delay-line.ts) and Chromium on the near side: every packet between a page and the signaling
 * server, the pages server or the relay waits rttMs / 2 each way, as over a real network. The two
 * pages share the near side, so a direct path between them has no added delay (a call between
 * two users near each other, far from the service); a relayed one crosses the line twice.
 *
 * With `coturn` (issue 16) Debian's coturn runs beside the embedded relay, on the same address
 * (bench/browser/coturn.ts), with a second Switchboard server (no embedded relay; TURN_URLS
 * naming coturn, the same TURN secret) whose pages are therefore relayed through coturn: the
 * same client, the same signaling, another relay. The PeerJS pages take `?turn=coturn`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_MISSING, findChromium, launchChromium, namespaceWrapper, poll } from '../../test/support/browser.js';
import { serverEnv } from '../../test/support/e2e-setup.js';
import { createDelayedLink, type DelayedLink } from '../../test/support/delay-line.js';
import { cleanupNamespaces, createLanNamespace, isRoot, listNamespaces, deleteNamespace, type LanNamespace, type Netns } from '../../test/support/netns.js';
import { type ServerHandle, startServer } from '../../test/support/server.js';
import { ROOT } from '../lib/proc.js';
import { type Coturn, startCoturn } from './coturn.js';
import { type BenchMarks, instrumentPage } from './instrument.js';

export { poll };

// tsx (esbuild, keepNames) wraps classes and functions in `__name(...)`: define it in the page too.
const INIT_SCRIPT = `var __name = (f) => f;\n(${instrumentPage.toString()})();`;
export const NS_PREFIX = 'sbbench-';
/** The delay line's namespaces (names carry the pid: cleanupNamespaces finds a killed run's). */
const DELAY_PREFIX = 'sbbdl-';

/** Both benchmarks measure each system twice: ICE free to pick any path, and relay only (TURN). */
export type Mode = 'direct' | 'relayed';
export const MODES: Mode[] = ['direct', 'relayed'];

export interface BrowserBench {
  browser: Browser;
  /** Switchboard's origin as the pages see it. */
  sbBase: string;
  /** The pages/PeerJS server's origin as the pages see it. */
  pagesBase: string;
  /** With `coturn`: the second Switchboard server (relay: coturn), and coturn itself. */
  coturn: { sbBase: string; relay: Coturn } | null;
  /** With `hold`: the Switchboard server whose relay holds data before its permission (500 ms), and that relay ("ip:port"). */
  hold: { sbBase: string; relay: string; relayTcp: string } | null;
  ns: string | null;
  /** The servers' namespace (null without root). */
  serverNs: Netns | null;
  /** The relays' UDP listening addresses as the pages reach them ("ip:port"). */
  relays: { ours: string; oursTcp: string; coturn: string | null };
  /** A fresh context (empty cache, instrumented) with one page, not navigated yet. */
  newPage(): Promise<{ context: BrowserContext; page: Page; logs: string[] }>;
  close(): Promise<void>;
}

/** `web/dist` is rebuilt when missing or older than the client's sources (as `npm start` would). */
function ensureWebBuild(): void {
  const app = join(ROOT, 'web/dist/page.html');
  const newest = (d: string): number =>
    Math.max(...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs)));
  const sources = Math.max(newest(join(ROOT, 'web/src')), ...['web/index.html', 'web/styles.css'].map((f) => statSync(join(ROOT, f)).mtimeMs));
  if (existsSync(app) && statSync(app).mtimeMs >= sources) return;
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Namespaces of earlier runs whose process (the pid in the name) is gone. */
function removeStaleNamespaces(): void {
  for (const name of listNamespaces().filter((n) => n.startsWith(NS_PREFIX))) {
    const pid = Number(name.slice(NS_PREFIX.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* gone */
    }
    if (!alive) deleteNamespace(name);
  }
}

async function startPagesServer(sbUrl: string, coturnSbUrl: string | null, holdSbUrl: string | null, lan: { ns: Netns } | null): Promise<{ proc: ChildProcess; port: number; stop(): Promise<void> }> {
  const cmd = [process.execPath, '--import', 'tsx', 'bench/browser/pages-server.ts'];
  const full = lan ? [...lan.ns.prefix(), ...cmd] : cmd;
  const proc = spawn(full[0]!, full.slice(1), { cwd: ROOT, env: { ...process.env, SWITCHBOARD_URL: sbUrl, ...(coturnSbUrl ? { SWITCHBOARD_COTURN_URL: coturnSbUrl } : {}), ...(holdSbUrl ? { SWITCHBOARD_HOLD_URL: holdSbUrl } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`pages server exited (${code}) before listening:\n${output.join('')}`)));
    setTimeout(() => reject(new Error(`pages server did not start within 30 s:\n${output.join('')}`)), 30_000).unref();
  }).catch((err: Error) => {
    proc.kill('SIGKILL');
    throw err;
  });
  return {
    proc,
    port,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface BrowserBenchOptions {
  /** Round-trip time to add between the browser and the servers, ms (root only). Default: none, one namespace. */
  rttMs?: number;
  /** Also run coturn and a Switchboard server whose relay it is. Default false. */
  coturn?: boolean;
  /** coturn's verbose log (traces). Default false. */
  coturnVerbose?: boolean;
  /** Also a Switchboard server whose embedded relay has TURN_PERMISSION_HOLD_MS=500 (A/B of the hold). Default false. */
  hold?: boolean;
}

export async function setupBrowserBench(label: string, o: BrowserBenchOptions = {}): Promise<BrowserBench> {
  let chromium: string;
  try {
    chromium = findChromium();
  } catch {
    throw new Error(`[${label}] ${CHROMIUM_MISSING}`);
  }
  const tmpDir = join(ROOT, '.tmp', 'bench-browser');
  mkdirSync(tmpDir, { recursive: true });
  process.env.TMPDIR ??= tmpDir; // browser profiles
  ensureWebBuild();

  let lan: LanNamespace | null = null;
  let link: DelayedLink | null = null;
  let server: ServerHandle | null = null;
  let coturnServer: ServerHandle | null = null;
  let holdServer: ServerHandle | null = null;
  let coturn: Coturn | null = null;
  let pages: Awaited<ReturnType<typeof startPagesServer>> | null = null;
  let browser: Browser | null = null;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => undefined);
    await pages?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await coturnServer?.stop().catch(() => undefined);
    await holdServer?.stop().catch(() => undefined);
    await coturn?.stop().catch(() => undefined);
    lan?.ns.delete();
    await link?.stop();
  };
  // Ctrl-C or a kill: still remove the namespace (which kills what runs inside) and the children.
  const onSignal = (sig: NodeJS.Signals) => void close().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (o.rttMs !== undefined) {
      if (!isRoot()) throw new Error(`[${label}] an added round-trip time needs root (network namespaces)`);
      cleanupNamespaces(DELAY_PREFIX);
      link = await createDelayedLink({ oneWayMs: o.rttMs / 2, prefix: DELAY_PREFIX, net: 215 });
    } else if (isRoot()) {
      removeStaleNamespaces();
      lan = createLanNamespace(`${NS_PREFIX}${process.pid}`, '10.214.0.1');
    } else if (process.env.CI === 'true') {
      throw new Error(`[${label}] CI=true but not root: the browser benchmarks must run inside a network namespace (ip netns needs root). Run as root.`);
    } else {
      console.warn(
        `\n[${label}] ************************************************************************\n` +
          `[${label}] NOT ROOT: Chromium and the servers run WITHOUT a network namespace.\n` +
          `[${label}] Chromium will announce mDNS and send ICE checks on this machine's interfaces.\n` +
          `[${label}] ************************************************************************\n`,
      );
    }
    const address = link?.rightAddress ?? lan?.address ?? '127.0.0.1';
    // The relay sends to the pages' candidates on the near side and to its own relayed addresses.
    const cidr = link ? `${link.leftCidr},${link.rightCidr}` : (lan?.cidr ?? null);
    const env: Record<string, string> = {
      ...serverEnv(address, cidr),
      ROOM_CAPACITY: '2',
      // PeerJS pages share one cached TURN credential (username): lift the per-username quota.
      TURN_USER_QUOTA: '1000',
    };
    // Generous: on this shared machine under load, tsx + the relay child have taken over 30 s to start.
    const serverNs = link?.right ?? lan?.ns ?? null;
    server = await startServer({ env, ns: serverNs, timeoutMs: 90_000 });
    if (!server.turn) throw new Error(`[${label}] the Switchboard server started without its embedded relay (turn: null); relayed calls cannot be measured`);
    if (o.coturn) {
      coturn = await startCoturn({ address, secret: env.TURN_SECRET!, tmpDir, ns: serverNs, verbose: o.coturnVerbose ?? false });
      coturnServer = await startServer({ env: { ...env, TURN_ENABLED: 'false', TURN_URLS: coturn.urls.join(',') }, ns: serverNs, timeoutMs: 90_000 });
    }
    if (o.hold) holdServer = await startServer({ env: { ...env, TURN_PERMISSION_HOLD_MS: '500' }, ns: serverNs, timeoutMs: 90_000 });
    // The pages server asks Switchboard for ICE servers from inside the servers' namespace.
    const local = (h: ServerHandle | null) => h && `http://127.0.0.1:${h.port}`;
    pages = await startPagesServer(local(server)!, local(coturnServer), local(holdServer), serverNs && { ns: serverNs });
    const host = link ? link.rightAddress : '127.0.0.1';
    const sbBase = `http://${host}:${server.port}`;
    const pagesBase = `http://${host}:${pages.port}`;
    const browserNs = link?.left ?? lan?.ns ?? null;
    // Off loopback the pages are not a secure context: say they are, as a TLS deployment would be.
    const coturnSbBase = coturnServer && `http://${host}:${coturnServer.port}`;
    const holdSbBase = holdServer && `http://${host}:${holdServer.port}`;
    const origins = [sbBase, pagesBase, coturnSbBase, holdSbBase].filter((x): x is string => x !== null);
    browser = await launchChromium(browserNs ? namespaceWrapper(browserNs.name, chromium, tmpDir) : chromium, link ? { secureOrigins: origins } : {});
    const b = browser;
    return {
      browser: b,
      sbBase,
      pagesBase,
      coturn: coturn && coturnSbBase ? { sbBase: coturnSbBase, relay: coturn } : null,
      hold: holdServer && holdSbBase ? { sbBase: holdSbBase, relay: `${address}:${holdServer.turn!.udp.port}`, relayTcp: `${address}:${holdServer.turn!.tcp.port}` } : null,
      ns: browserNs?.name ?? null,
      serverNs,
      relays: { ours: `${address}:${server.turn.udp.port}`, oursTcp: `${address}:${server.turn.tcp.port}`, coturn: coturn && `${address}:${coturn.port}` },
      newPage: async () => {
        const context = await b.newContext({ viewport: { width: 1000, height: 700 } });
        await context.addInitScript({ content: INIT_SCRIPT });
        const page = await context.newPage();
        const logs: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') logs.push(`[${m.type()}] ${m.text()}`);
        });
        page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
        return { context, page, logs };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export function marks(page: Page): Promise<BenchMarks> {
  return page.evaluate(() => (window as unknown as { __bench: { marks: BenchMarks } }).__bench.marks);
}

/** p-th percentile of unsorted values (nearest rank, as bench/lib/proc.ts percentile). */
export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(values: number[]): number {
  return pct(values, 50);
}
