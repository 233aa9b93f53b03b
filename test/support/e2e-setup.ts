/**
 * Global setup of the browser (e2e) project: build the web client, make the test network
 * namespace (as root), start the server inside it, and hand the tests what they need through
 * `provide`. Teardown stops the server and deletes the namespace, also after failures; leftovers
 * of killed runs (same prefix) are removed first.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_MISSING, findChromium, namespaceWrapper } from './browser.js';
import { cleanupNamespaces, createLanNamespace, isRoot, type LanNamespace, ownedName } from './netns.js';
import { REPO_ROOT, type ServerHandle, startServer } from './server.js';

export const NS_PREFIX = 'sbe2e-';
export const ROOM_CAPACITY = 3;

export interface E2eContext {
  /** executablePath for Playwright: a wrapper running Chromium inside the namespace, or Chromium itself. */
  chromium: string;
  /** The namespace name, or null when not running as root. */
  ns: string | null;
  /** The namespace's routable address (PUBLIC_IP), or 127.0.0.1 without a namespace. */
  address: string;
  baseUrl: string;
  port: number;
  turn: { udp: { address: string; port: number } } | null;
  /** Environment the shared server was started with (for tests that start their own). */
  serverEnv: Record<string, string>;
  /** Why the embedded relay is not running (null when it is). */
  relayError: string | null;
  tmpDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}

export function serverEnv(address: string, cidr: string | null): Record<string, string> {
  return {
    HOST: '0.0.0.0',
    PORT: '0',
    PUBLIC_IP: address,
    TURN_ENABLED: 'true',
    TURN_PORT: '0',
    TURN_SECRET: 'e2e-turn-secret-0123456789abcdef',
    SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
    ROOM_CAPACITY: String(ROOM_CAPACITY),
    RATE_LIMIT_BURST: '5000',
    RATE_LIMIT_PER_SECOND: '2000',
    // Relayed traffic goes to the pages' own (private) addresses inside the namespace.
    ...(cidr ? { TURN_ALLOW_PEERS: `${cidr},127.0.0.0/8` } : { TURN_ALLOW_PEERS: '127.0.0.0/8' }),
    LOG_LEVEL: 'info',
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let chromiumPath: string;
  try {
    chromiumPath = findChromium();
  } catch {
    throw new Error(CHROMIUM_MISSING);
  }
  const tmpDir = join(REPO_ROOT, '.tmp', 'e2e');
  mkdirSync(tmpDir, { recursive: true });
  // Browser profiles go here, not into /tmp (scripts/test.sh sets TMPDIR too).
  process.env.TMPDIR ??= tmpDir;
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });

  let lan: LanNamespace | null = null;
  let server: ServerHandle | null = null;
  const teardown = async () => {
    await server?.stop().catch(() => undefined);
    lan?.ns.delete();
  };

  try {
    if (isRoot()) {
      const stale = cleanupNamespaces(NS_PREFIX);
      if (stale.length) console.warn(`[e2e] removed leftover namespaces: ${stale.join(', ')}`);
      lan = createLanNamespace(ownedName(NS_PREFIX));
    } else if (process.env.CI === 'true') {
      throw new Error('[e2e] CI=true but not root: the browser tests must run inside a network namespace (ip netns needs root). Run as root.');
    } else {
      console.warn(
        '\n[e2e] ************************************************************************\n' +
          '[e2e] NOT ROOT: browsers and the server run WITHOUT a network namespace.\n' +
          '[e2e] Chromium will announce mDNS and send ICE checks on this machine\'s interfaces.\n' +
          '[e2e] ************************************************************************\n',
      );
    }
    const address = lan?.address ?? '127.0.0.1';
    let env = serverEnv(address, lan?.cidr ?? null);
    let relayError: string | null = null;
    try {
      server = await startServer({ env, ns: lan?.ns ?? null });
    } catch (err) {
      // The bundled relay (turn/) may not be there yet: run the signaling tests without it; the
      // relay test fails with this reason instead of the whole suite failing to start.
      relayError = err instanceof Error ? err.message : String(err);
      console.warn(`[e2e] the server did not start with its embedded relay; retrying with TURN_ENABLED=false.\n${relayError}`);
      env = { ...env, TURN_ENABLED: 'false', TURN_URLS: `turn:${address}:3478?transport=udp` };
      server = await startServer({ env, ns: lan?.ns ?? null });
    }
    const ctx: E2eContext = {
      chromium: lan ? namespaceWrapper(lan.ns.name, chromiumPath, tmpDir) : chromiumPath,
      ns: lan?.ns.name ?? null,
      address,
      baseUrl: `http://127.0.0.1:${server.port}`,
      port: server.port,
      turn: server.turn,
      serverEnv: env,
      relayError,
      tmpDir,
    };
    project.provide('e2e', ctx);
    console.log(`[e2e] server on ${ctx.baseUrl}${lan ? ` inside namespace ${lan.ns.name} (${address})` : ''}; relay: ${server.turn ? JSON.stringify(server.turn.udp) : 'none'}`);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
