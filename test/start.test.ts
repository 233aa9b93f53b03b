/**
 * `npm start` as a newcomer runs it: one process tree serving the web app, signaling and the
 * embedded relay. Two socket.io-client peers exchange signals, the relay accepts the credentials the
 * server hands out, a crash of the relay process does not take signaling down (the relay comes
 * back), and SIGTERM ends everything with exit code 0.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TurnClient } from '../turn/client/index.js';
import type { IceServer } from '../server/protocol/index.js';
import { connectClient, join, next, request, until } from './signaling/harness.js';

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
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

describe('npm start', () => {
  it('serves the app, signaling and the embedded relay; survives a relay crash; exits 0 on SIGTERM', async () => {
    const secret = 'start-test-secret-0123456789';
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', TURN_SECRET: secret, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => /"msg":"listening"/.test(out), `npm start to listen; output:\n${out}`, 60_000);
      const line = JSON.parse(out.split('\n').find((l) => l.includes('"msg":"listening"'))!) as { port: number; turn: { udp: { port: number }; tcp: { port: number } } };
      const base = `http://127.0.0.1:${line.port}`;
      expect(line.turn.udp.port).toBeGreaterThan(0);
      expect(line.turn.tcp.port).toBe(line.turn.udp.port);

      const page = await fetch(`${base}/r/some-room`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);

      const [a, b] = [await connectClient(base), await connectClient(base)];
      const ja = await join(a, 'start-test');
      const jb = await join(b, 'start-test');
      const got = next(b, 'signal');
      await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'v=0' } });
      expect(await got).toEqual({ from: ja.peerId, data: { type: 'offer', sdp: 'v=0' } });

      // The relay accepts exactly the credentials the signaling server handed out.
      const turn = ja.iceServers.find((s: IceServer) => s.username)!;
      expect(turn.urls).toContain(`turn:127.0.0.1:${line.turn.udp.port}?transport=udp`);
      const allocate = async () => {
        const c = await TurnClient.connect({ transport: 'udp', host: '127.0.0.1', port: line.turn.udp.port, username: turn.username!, password: turn.credential! });
        try {
          const alloc = await c.allocate({ lifetime: 60 });
          await c.refresh(0);
          return alloc;
        } finally {
          await c.close();
        }
      };
      expect((await allocate()).relayed.port).toBeGreaterThan(0);

      // Kill the relay process: signaling keeps serving, the relay is restarted on the same port.
      const relayPid = descendants(child.pid!).find((p) => cmdline(p).includes('child-entry'));
      expect(relayPid, `no relay child among ${descendants(child.pid!).map(cmdline).join(' | ')}`).toBeDefined();
      process.kill(relayPid!, 'SIGKILL');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const c = await connectClient(base);
      await join(c, 'start-test');
      await until(async () => allocate().then(() => true, () => false), 'the relay to come back', 20_000);

      // SIGTERM to the server process (what a process manager or container runtime signals): it
      // exits 0, so npm does too.
      const tree = descendants(child.pid!);
      const server = tree.find((p) => cmdline(p).includes('server/main.ts') && !cmdline(p).startsWith('sh '))!;
      const exited = once(child, 'exit') as Promise<[number | null]>;
      process.kill(server, 'SIGTERM');
      const [code] = await exited;
      expect(code, out.slice(-2000)).toBe(0);
      expect(out).toContain('"msg":"stopped"');
      await until(() => tree.every((p) => cmdline(p) === ''), `every process of the tree to end: ${tree.map(cmdline).join(' | ')}`, 10_000);
    } finally {
      for (const p of descendants(child.pid!)) process.kill(p, 'SIGKILL');
      child.kill('SIGKILL');
    }
  }, 120_000);
});
