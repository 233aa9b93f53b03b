/** A signaling server with its embedded relay in a child process, and a strict scrape of its /metrics. */
import { spawnSync } from 'node:child_process';
import { isolatedRelay } from '../../server/relay-factory.js';
import { restCredentials } from '../../turn/auth/rest.js';
import { startServer, type TestServer } from '../signaling/harness.js';
import { parsePrometheusText, type Family } from '../support/prom-text.js';

export const SECRET = 'test-turn-secret-0123456789';
export const NODE_ID = 'metrics-node-7';

export interface RelayServer extends TestServer {
  turnPort: number;
  /** TURN REST credentials for `id`, as the server hands them out. */
  creds(id: string): { username: string; password: string };
  scrape(): Promise<{ text: string; families: Map<string, Family> }>;
}

export async function startRelayServer(env: Record<string, string> = {}): Promise<RelayServer> {
  const srv = await startServer(
    { TURN_ENABLED: 'true', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_SECRET: SECRET, NODE_ID, TURN_TOTAL_QUOTA: '40', ...env },
    { relayFactory: isolatedRelay },
  );
  const turnPort = (srv.app.relay() as unknown as { addresses: { udp: { port: number } } }).addresses.udp.port;
  return {
    ...srv,
    turnPort,
    creds: (id) => restCredentials(SECRET, id, 600),
    async scrape() {
      const res = await fetch(`${srv.url}/metrics`);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      const text = await res.text();
      return { text, families: parsePrometheusText(text) };
    },
  };
}

/**
 * Runs promtool (Prometheus's own tool) with `args` and `input` on stdin. Its absence fails the
 * test, naming the package, like every other tool the tests need (no skip, in CI or not).
 */
export function promtool(args: string[], input?: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', input, timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error("promtool is not installed: it comes with Debian's prometheus package (apt-get install prometheus; scripts/test.sh installs it when run as root)");
  }
  if (r.status === null) throw new Error(`promtool ${args.join(' ')} did not finish: ${r.error?.message ?? r.signal}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
