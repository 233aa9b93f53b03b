/**
 * Real services for the cluster tests, all on free loopback ports, all stopped by `cleanup()`
 * (call it from afterAll; it also runs on process exit as a safety net):
 * redis-server, nginx (from deploy/nginx.conf), signaling nodes (`server/main.ts` child processes).
 * Nothing sleeps to synchronise: `waitFor` polls a condition with a deadline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
const children = new Set<ChildProcess>();
// Safety net if cleanup() never ran: SIGTERM, so that nginx's master also stops its workers.
process.once('exit', () => {
  for (const c of children) c.kill('SIGTERM');
});

export async function cleanup(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sb-cluster-${tag}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Fails (never skips) when a Debian tool is missing, naming the package that provides it. */
export function requireTool(cmd: string, pkg: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !path) {
    throw new Error(`${cmd} is not installed: apt-get install ${pkg} (scripts/test.sh installs it when run as root)`);
  }
  return path;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface Proc {
  child: ChildProcess;
  /** Everything it printed so far (stdout + stderr). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const append = (b: Buffer) => {
    out = (out + b.toString()).slice(-200_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
    child.once('error', (err) => {
      append(Buffer.from(String(err)));
      children.delete(child);
      resolve(-1);
    });
  });
  const proc: Proc = {
    child,
    output: () => out,
    exited,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  cleanups.push(() => proc.stop());
  return proc;
}

// ---------------------------------------------------------------- redis

export interface RedisService {
  port: number;
  url: string;
  /** Stops it (without `persist` its data is lost). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** `persist`: an append-only file, so the data survives stop/start (like production's Redis). */
export async function startRedis(opts: { persist?: boolean } = {}): Promise<RedisService> {
  const bin = requireTool('redis-server', 'redis-server');
  const port = await freePort();
  const dir = tempDir('redis');
  let proc: Proc | undefined;
  const svc: RedisService = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const p = startProcess(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', opts.persist ? 'yes' : 'no', '--dir', dir, '--loglevel', 'warning']);
      proc = p;
      await waitFor(`redis-server on ${port}`, async () => {
        if (p.child.exitCode !== null) throw new Error(`redis-server exited: ${p.output()}`);
        return tcpOpen(port);
      });
    },
    async stop() {
      await proc?.stop();
    },
  };
  await svc.start();
  return svc;
}

// ---------------------------------------------------------------- signaling nodes

export interface NodeService {
  id: string;
  port: number;
  url: string;
  proc: Proc;
}

export const CLUSTER_SECRETS = {
  SESSION_SECRET: 'cluster-session-secret-0123456789',
  TURN_SECRET: 'cluster-turn-secret-0123456789',
};

/** `node --import tsx server/main.ts` as one cluster node (one process: SIGKILL really kills it). */
export async function startNode(id: string, env: Record<string, string>): Promise<NodeService> {
  const proc = startProcess(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ID: id,
      LOG_LEVEL: 'info',
      TURN_ENABLED: 'false',
      TURN_URLS: 'turn:127.0.0.1:3478?transport=udp',
      TRUST_PROXY: 'true',
      ...CLUSTER_SECRETS,
      ...env,
    },
  });
  const port = await waitFor(`node ${id} to listen`, () => {
    if (proc.child.exitCode !== null) throw new Error(`node ${id} exited:\n${proc.output()}`);
    const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(proc.output());
    return m ? Number(m[1]) : undefined;
  }, 30_000, 100);
  return { id, port, url: `http://127.0.0.1:${port}`, proc };
}

// ---------------------------------------------------------------- nginx

/**
 * deploy/nginx.conf with the upstream servers, the listen address and the file paths replaced for a
 * test run. Everything else (sticky hashing, WebSocket upgrade, proxy headers, timeouts) is as shipped.
 */
/** A config file from deploy/ with some lines replaced; fails loudly when a pattern stops matching. */
export function renderConf(file: string, edits: Array<[RegExp, string]>): string {
  let conf = readFileSync(join(ROOT, file), 'utf8');
  for (const [re, by] of edits) {
    if (!re.test(conf)) throw new Error(`${file} no longer matches ${re}`);
    conf = conf.replace(re, by);
  }
  return conf;
}

/**
 * deploy/nginx.conf with the upstream servers, the listen address and the file paths replaced for a
 * test run. Everything else (sticky hashing, WebSocket upgrade, proxy headers, timeouts) is as shipped.
 */
export function renderNginxConf(opts: { listen: string; upstreams: string[]; dir: string }): string {
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${opts.dir}/${t};`);
  return renderConf('deploy/nginx.conf', [
    [/^(\s*)server\s+node1:3000([^;]*);\n\s*server\s+node2:3000[^;]*;$/m, opts.upstreams.map((u) => `$1server ${u}$2;`).join('\n')],
    [/^(\s*)listen\s+80;$/m, `$1listen ${opts.listen};`],
    [/^pid\s+[^;]+;$/m, `pid ${opts.dir}/nginx.pid;`],
    [/^error_log\s+[^;]+;$/m, `error_log ${opts.dir}/error.log warn;`],
    [/^user\s+[^;]+;\n/m, ''],
    [/^worker_processes\s+[^;]+;$/m, 'worker_processes 1;'],
    [/^(\s*)access_log\s+[^;]+;$/m, '$1access_log off;'],
    [/^http \{$/m, ['http {', ...temps].join('\n')],
  ]);
}

export interface NginxService {
  port: number;
  url: string;
  proc: Proc;
}

export async function startNginx(upstreams: string[]): Promise<NginxService> {
  const bin = requireTool('nginx', 'nginx-light');
  const dir = tempDir('nginx');
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, renderNginxConf({ listen: `127.0.0.1:${port}`, upstreams, dir }));
  const test = spawnSync(bin, ['-t', '-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t rejected the rendered deploy/nginx.conf:\n${test.stderr}`);
  const proc = startProcess(bin, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off;']);
  await waitFor(`nginx on ${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`nginx exited:\n${proc.output()}`);
    return tcpOpen(port);
  });
  return { port, url: `http://127.0.0.1:${port}`, proc };
}

// ---------------------------------------------------------------- coturn

export interface CoturnService {
  ip: string;
  port: number;
  proc: Proc;
}

/** Debian's coturn with deploy/turnserver.conf, on `ip` (a loopback address) and a free port. */
export async function startCoturn(ip: string, secret: string): Promise<CoturnService> {
  const bin = requireTool('turnserver', 'coturn');
  const dir = tempDir('coturn');
  const port = await freePort(ip);
  const relayBase = 40000 + Math.floor(Math.random() * 20000);
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    renderConf('deploy/turnserver.conf', [
      [/^listening-port=.*$/m, `listening-port=${port}\nno-rfc5780\nallow-loopback-peers`],
      [/^listening-ip=.*$/m, `listening-ip=${ip}`],
      [/^relay-ip=.*$/m, `relay-ip=${ip}`],
      [/^min-port=.*$/m, `min-port=${relayBase}`],
      [/^max-port=.*$/m, `max-port=${relayBase + 50}`],
      [/^static-auth-secret=.*$/m, `static-auth-secret=${secret}`],
      [/^no-cli$/m, `no-cli\npidfile=${dir}/turnserver.pid\nlog-file=stdout\nsimple-log`],
    ]),
  );
  const proc = startProcess(bin, ['-c', conf]);
  await waitFor(`coturn on ${ip}:${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`turnserver exited:\n${proc.output()}`);
    return tcpOpen(port, ip);
  });
  return { ip, port, proc };
}
