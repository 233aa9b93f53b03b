/**
 * `npm start` as a newcomer runs it: one process tree serving the web app, signaling and the
 * embedded relay, run from the compiled dist/ with plain node. Two socket.io-client peers exchange
 * signals, the relay accepts the credentials the server hands out, a crash of the relay process
 * does not take signaling down (the relay comes back), and SIGTERM or SIGINT sent to the npm
 * process itself (what systemd, pm2, `docker stop` with `CMD npm start` or a terminal's Ctrl-C
 * send) ends everything: npm exits 0, no process of the tree is left and the ports are free.
 *
 * The signals go to npm's pid, not to the server's: npm forwards SIGINT/SIGTERM only to its direct
 * child, the `sh -c` of the script, so the server gets them only if that shell has replaced itself
 * with node (`exec` in the start script). Without it the shell dies and the server is orphaned
 * with its ports: these tests fail.
 *
 * SIGHUP (reload the relay's TLS certificate) is the exception: npm does not forward it (npm 11's
 * @npmcli/run-script forwards SIGINT and SIGTERM only) and has no handler for it, so a SIGHUP to
 * npm ends npm and leaves the server running orphaned, certificate not reloaded (seen by hand with
 * npm 11.19). The docs (docs/turn.md) say to send it to the server's pid, the `pid` of the
 * 'listening' line, and the test does that.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join as joinPath } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { restCredentials } from '../turn/auth/rest.js';
import { TurnClient } from '../turn/client/index.js';
import type { IceServer } from '../server/protocol/index.js';
import { connectClient, join, next, request, until } from './signaling/harness.js';
import { makeCert, servedCn } from './support/tls-certs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every descendant pid of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}
/** The command line of `pid`, '' once it has ended (a zombie has an empty cmdline too). */
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
};
const alive = (pid: number) => cmdline(pid) !== '';

/** Whether `port` can be bound again on 127.0.0.1 (TCP or UDP). */
async function canBind(kind: 'tcp' | 'udp', port: number): Promise<boolean> {
  if (kind === 'tcp') {
    const s = createServer();
    return new Promise((resolve) => {
      s.once('error', () => resolve(false));
      s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
    });
  }
  const s = createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

interface Ports {
  udp: { port: number };
  tcp: { port: number };
}
interface Listening {
  pid: number;
  port: number;
  /** Worker 0's ports, and every worker's (TURN_WORKERS, default the number of cores); TLS when configured. */
  turn: Ports & { workers: Ports[]; tls?: { port: number } };
}
interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output: () => string;
  line: Listening;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Every process seen under npm, with its command line: cleanup() kills orphans too. */
  seen: Map<number, string>;
}

const SECRET = 'start-test-secret-0123456789';

/** `npm start` with every port chosen by the kernel; resolves once the server logs "listening". */
async function npmStart(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', TURN_SECRET: SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let done = false;
  void exited.then(() => (done = true));
  try {
    await until(() => done || /"msg":"listening"/.test(out), 'npm start to listen', 90_000);
    if (!/"msg":"listening"/.test(out)) throw new Error(`npm start exited before listening:\n${out}`);
  } catch (err) {
    // Not started in time (seen at load 36): nothing it started may outlive the test.
    for (const p of [...descendants(child.pid!), child.pid!]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    throw err;
  }
  const line = JSON.parse(out.split('\n').find((l) => l.includes('"msg":"listening"'))!) as Listening;
  return { child, output: () => out, line, exited, seen: new Map() };
}

/**
 * The process tree of a started `npm start`: the compiled server (not a TypeScript loader) and the
 * relay's child processes under it, one per worker.
 */
function serverTree(s: Started): { tree: number[]; server: number; relays: number[] } {
  const tree = descendants(s.child.pid!);
  for (const p of tree) s.seen.set(p, cmdline(p));
  const list = () => tree.map((p) => `${p}: ${cmdline(p)}`).join(' | ');
  const server = tree.find((p) => /^\S*node\S* .*dist\/server\/main\.js$/.test(cmdline(p)));
  const relays = tree.filter((p) => cmdline(p).includes('dist/turn/child-entry.js'));
  expect(server, `no dist/server/main.js among ${list()}`).toBeDefined();
  expect(relays.length, `relay children among ${list()}`).toBeGreaterThan(0);
  expect(tree.map(cmdline).join(' | ')).not.toMatch(/tsx|\.ts\b/);
  // scripts/test.sh runs this file again under other Node versions (first on PATH): `npm start`
  // must run the server, and the server its relay, with that node.
  const want = process.env.SWITCHBOARD_TEST_NODE;
  if (want) for (const p of [server!, ...relays]) expect(`${p}: ${realpathSync(`/proc/${p}/exe`)}`).toBe(`${p}: ${realpathSync(want)}`);
  return { tree, server: server!, relays };
}

/**
 * Send `signal` to the npm process itself, then: npm exits 0, the server logged that it stopped,
 * every process that was under npm is gone and the HTTP and TURN ports can be bound again.
 */
async function signalNpm(s: Started, signal: 'SIGTERM' | 'SIGINT'): Promise<void> {
  const { tree } = serverTree(s);
  const { port, turn } = s.line;
  expect(await canBind('tcp', port), `the server holds HTTP port ${port}`).toBe(false);
  process.kill(s.child.pid!, signal);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`npm did not exit within 20 s of ${signal}; processes: ${tree.map((p) => `${p}: ${cmdline(p)}`).join(' | ')}; output:\n${s.output().slice(-3000)}`)), 20_000);
  });
  const [code, sig] = await Promise.race([s.exited, deadline]).finally(() => clearTimeout(timer));
  const left = () => tree.filter(alive).map((p) => `${p}: ${cmdline(p)}`);
  expect({ code, signal: sig }, `npm's exit after ${signal}; still running: ${left().join(' | ') || 'nothing'}; output:\n${s.output().slice(-3000)}`).toEqual({ code: 0, signal: null });
  expect(s.output()).toContain(`"signal":"${signal}"`);
  expect(s.output()).toContain('"msg":"stopped"');
  await until(() => left().length === 0, `every process of the tree to end: ${left().join(' | ')}`, 10_000).catch(() => {
    throw new Error(`processes left after ${signal} to npm: ${left().join(' | ')}`);
  });
  const free = async () => {
    for (const w of turn.workers) if (!(await canBind('udp', w.udp.port)) || !(await canBind('tcp', w.tcp.port))) return false;
    return canBind('tcp', port);
  };
  await until(free, `ports ${port}/tcp and every worker's ${turn.workers.map((w) => w.udp.port).join(', ')} (udp and tcp) to be free`, 5_000);
}

/** Kill what a failed test left behind. */
function cleanup(s: Started | undefined): void {
  if (!s) return;
  for (const p of descendants(s.child.pid!)) s.seen.set(p, cmdline(p));
  for (const [p, cmd] of s.seen) {
    if (cmdline(p) !== cmd) continue; // ended (or the pid is another process's now)
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  s.child.kill('SIGKILL');
}

describe('npm start', () => {
  it('serves the app, signaling and the embedded relay from dist/; survives a relay crash; SIGTERM to npm ends everything with exit 0', async () => {
    let s: Started | undefined;
    try {
      s = await npmStart();
      const { line } = s;
      const base = `http://127.0.0.1:${line.port}`;
      expect(line.turn.udp.port).toBeGreaterThan(0);
      expect(line.turn.tcp.port).toBe(line.turn.udp.port);
      // One relay worker per core by default, each on its own port.
      expect(line.turn.workers).toHaveLength(availableParallelism());
      expect(new Set(line.turn.workers.map((w) => w.udp.port)).size).toBe(line.turn.workers.length);

      const page = await fetch(`${base}/r/some-room`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);

      const [a, b] = [await connectClient(base), await connectClient(base)];
      const ja = await join(a, 'start-test');
      const jb = await join(b, 'start-test');
      const got = next(b, 'signal');
      await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'v=0' } });
      expect(await got).toEqual({ from: ja.peerId, data: { type: 'offer', sdp: 'v=0' } });

      // The relay accepts exactly the credentials the signaling server handed out, on the port of
      // the room's worker, the same for both peers.
      const turn = ja.iceServers.find((x: IceServer) => x.username)!;
      const roomPort = Number(/^turn:127\.0\.0\.1:(\d+)\?transport=udp$/.exec(turn.urls.find((u: string) => u.endsWith('udp'))!)![1]);
      expect(line.turn.workers.map((w) => w.udp.port)).toContain(roomPort);
      expect(jb.iceServers.find((x: IceServer) => x.username)!.urls).toEqual(turn.urls);
      const allocate = async () => {
        const c = await TurnClient.connect({ transport: 'udp', host: '127.0.0.1', port: roomPort, username: turn.username!, password: turn.credential! });
        try {
          const alloc = await c.allocate({ lifetime: 60 });
          await c.refresh(0);
          return alloc;
        } finally {
          await c.close();
        }
      };
      expect((await allocate()).relayed.port).toBeGreaterThan(0);

      // Kill every relay process: signaling keeps serving, each is restarted on its same port.
      const { relays } = serverTree(s);
      expect(relays, 'one relay child per worker').toHaveLength(line.turn.workers.length);
      for (const relay of relays) process.kill(relay, 'SIGKILL');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const c = await connectClient(base);
      await join(c, 'start-test');
      await until(async () => allocate().then(() => true, () => false), 'the relay to come back', 20_000);
      await until(() => relays.every((p) => !alive(p)) && descendants(s!.child.pid!).filter((p) => cmdline(p).includes('dist/turn/child-entry.js') && !relays.includes(p)).length === relays.length, 'new relay children', 5_000);
      for (const x of [a, b, c]) x.close();

      await signalNpm(s, 'SIGTERM');
    } finally {
      cleanup(s);
    }
  }, 150_000);

  // One npm start for two things (each start builds: ~25 s at load 12): the TLS reload by SIGHUP
  // as the docs say to send it, then Ctrl-C.
  it('TLS: SIGHUP to the pid of the listening line reloads the relay certificate, an allocation stays; SIGINT to npm (Ctrl-C) ends everything with exit 0', async () => {
    let s: Started | undefined;
    const dir = mkdtempSync(joinPath(tmpdir(), 'start-tls-'));
    const file = (n: string) => joinPath(dir, n);
    try {
      const made = { 'relay-a': makeCert(dir, 'relay-a'), 'relay-b': makeCert(dir, 'relay-b') };
      const install = (name: keyof typeof made) => {
        copyFileSync(made[name].key, file('key.pem'));
        copyFileSync(made[name].cert, file('cert.pem'));
      };
      install('relay-a');
      s = await npmStart({ TURN_TLS_PORT: '0', TURN_TLS_CERT: file('cert.pem'), TURN_TLS_KEY: file('key.pem') });
      const { line } = s;
      const tlsPort = line.turn.tls!.port;
      // The pid the docs point at is the compiled server, npm's child.
      expect(line.pid).toBe(serverTree(s).server);
      expect(await servedCn(tlsPort)).toBe('relay-a');

      const c = await TurnClient.connect({ transport: 'tls', host: '127.0.0.1', port: tlsPort, tls: { rejectUnauthorized: false }, ...restCredentials(SECRET, 'sighup', 600) });
      try {
        expect((await c.allocate({ lifetime: 600 })).relayed.port).toBeGreaterThan(0);
        install('relay-b');
        const before = s.output().length;
        process.kill(line.pid, 'SIGHUP');
        // "request": the reload SIGHUP asked for (the relay's 5 s file check would say "file change").
        await until(() => /"trigger":"request".*TLS certificate reloaded/.test(s!.output().slice(before)), 'the relay to log the reload SIGHUP asked for', 10_000);
        expect(s.output().slice(before)).toContain('"signal":"SIGHUP"');
        expect(await servedCn(tlsPort)).toBe('relay-b');
        // The TLS connection made before, and its allocation, still work.
        expect(await c.refresh(600)).toBe(600);
        expect(alive(s.child.pid!)).toBe(true);
        await c.refresh(0);
      } finally {
        await c.close();
      }
      await signalNpm(s, 'SIGINT');
    } finally {
      cleanup(s);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

