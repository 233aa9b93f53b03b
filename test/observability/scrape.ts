/**
 * A signaling server with its embedded relay in a child process (one worker unless `env` sets
 * TURN_WORKERS: several are tested in test/turn/pool-server.test.ts), and a strict scrape of its /metrics.
 */
import { spawnSync } from 'node:child_process';
import type { AppDeps } from '../../server/app.js';
import { isolatedRelay } from '../../server/relay-factory.js';
import { restCredentials } from '../../turn/auth/rest.js';
import { TurnClient, TurnError } from '../../turn/client/index.js';
import { Method } from '../../turn/stun/constants.js';
import { join, request, startServer, type TestServer } from '../signaling/harness.js';
import { parsePrometheusText, type Family } from '../support/prom-text.js';

export const SECRET = 'test-turn-secret-0123456789';
export const NODE_ID = 'metrics-node-7';

export interface RelayServer extends TestServer {
  turnPort: number;
  /** TURN REST credentials for `id`, as the server hands them out. */
  creds(id: string): { username: string; password: string };
  scrape(): Promise<{ text: string; families: Map<string, Family> }>;
}

export async function startRelayServer(env: Record<string, string> = {}, deps: Partial<AppDeps> = {}): Promise<RelayServer> {
  const srv = await startServer(
    { TURN_ENABLED: 'true', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_SECRET: SECRET, NODE_ID, TURN_TOTAL_QUOTA: '40', TURN_WORKERS: '1', ...env },
    { relayFactory: isolatedRelay, ...deps },
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

/** What {@link exercise} did, for the assertions. */
export interface Exercised {
  peerIds: string[];
  /** Values clients chose (room, display name, TURN user ids): none may appear in /metrics. */
  chosen: string[];
}

/**
 * Traffic that gives every labelled family samples: two joins and a refused one, a signal, ICE
 * servers by event and HTTP; on the relay a challenged then granted Allocate, a second one (437),
 * a Refresh without an allocation (437) and a wrong password (401 twice).
 */
export async function exercise(srv: RelayServer): Promise<Exercised> {
  const [a, b] = await Promise.all([srv.client(), srv.client()]);
  const ja = await join(a, 'secret-room-name');
  const jb = await join(b, 'secret-room-name', { name: 'Zed' });
  const got = new Promise((resolve) => b.once('signal', resolve));
  a.emit('signal', { to: jb.peerId, data: { renegotiate: true } });
  await got;
  const ice = await request<{ ok: boolean }>(a, 'ice-servers', {});
  const http = await fetch(`${srv.url}/api/ice-servers`);
  const refused = await request<{ ok: boolean }>(a, 'join', { room: 'x', token: 42 });
  if (!ice.ok || http.status !== 200 || refused.ok) throw new Error('exercise: an answer was not the expected one');

  const turn = await TurnClient.connect({ host: '127.0.0.1', port: srv.turnPort, ...srv.creds('user-with-a-name'), rto: 100 });
  const bare = await TurnClient.connect({ host: '127.0.0.1', port: srv.turnPort, ...srv.creds('other-user'), rto: 100 });
  const wrong = await TurnClient.connect({ host: '127.0.0.1', port: srv.turnPort, username: srv.creds('x').username, password: 'wrong', rto: 100 });
  try {
    await turn.allocate();
    const codes = await Promise.all([turn.allocate(), bare.request(Method.Refresh, () => {}), wrong.allocate()].map((p) => p.then(() => 0, (e: unknown) => (e instanceof TurnError ? e.code : -1))));
    if (codes.join() !== '437,437,401') throw new Error(`exercise: relay answered ${codes.join()}, not 437,437,401`);
  } finally {
    await Promise.all([turn.close(), bare.close(), wrong.close()]);
  }
  return { peerIds: [ja.peerId, jb.peerId], chosen: ['secret-room-name', 'Zed', 'user-with-a-name', 'other-user'] };
}
