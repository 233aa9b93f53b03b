/** The relay in a child process (turn/child.ts) and the standalone entry (turn/main.ts). */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startRelayProcess } from '../../turn/child.js';
import { TurnClient } from '../../turn/client/index.js';
import { creds, testConfig, waitFor } from './helpers.js';

describe('startRelayProcess', () => {
  it('forks the relay, answers Binding and stats over IPC, forwards events (a dual allocation: both relayed addresses), restarts after SIGKILL, stops', async () => {
    const logs: string[] = [];
    const logger = { debug() {}, info: (_o: object | string, m?: string) => logs.push(`info ${m}`), warn() {}, error: (_o: object | string, m?: string) => logs.push(`error ${m}`) };
    const relay = startRelayProcess(testConfig({ relayIp6: '::1' }), { logger, restartDelay: () => 50 });
    try {
      const addr = await relay.start();
      expect(addr.udp.port).toBeGreaterThan(0);
      const firstPid = relay.pid!;
      const created: string[][] = [];
      relay.on('allocation-created', (e) => created.push([e.relayed, ...e.relayedAll]));
      const c = await TurnClient.connect({ host: '127.0.0.1', port: addr.udp.port, ...creds(), rto: 100 });
      expect((await c.binding()).port).toBe(c.local.port);
      const { relayedAll } = await c.allocate({ additionalFamily: 6 });
      await waitFor(() => created.length === 1, 10_000, 'forwarded event');
      const [r4, r6] = [`127.0.0.1:${relayedAll[0]!.port}`, `[::1]:${relayedAll[1]!.port}`];
      expect(created).toEqual([[r4, r4, r6]]);
      const s = await relay.stats();
      expect(s.allocations).toBe(1);
      expect(s.relaySockets).toBe(2);
      await c.close();

      const restarted = new Promise((r) => relay.once('child-restarted', r));
      const exited = new Promise((r) => relay.once('child-exit', r));
      process.kill(firstPid, 'SIGKILL');
      expect(await exited).toMatchObject({ signal: 'SIGKILL', willRestart: true });
      await restarted;
      expect(relay.pid).not.toBe(firstPid);
      // Same port after the restart; state is fresh.
      const c2 = await TurnClient.connect({ host: '127.0.0.1', port: addr.udp.port, ...creds(), rto: 100 });
      expect((await c2.binding()).port).toBe(c2.local.port);
      await c2.close();
      expect((await relay.stats()).allocations).toBe(0);
      expect(logs.some((l) => l.includes('exited unexpectedly'))).toBe(true);
    } finally {
      const pid = relay.pid;
      await relay.stop();
      await relay.stop();
      if (pid) expect(() => process.kill(pid, 0)).toThrow();
    }
  }, 60_000);
});

describe('npm run turn (turn/main.ts)', () => {
  it('starts from env config, logs JSON to stdout, exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
      env: { ...process.env, TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_SECRET: 'x'.repeat(20), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitFor(() => out.includes('turn relay started'), 20_000, 'start log');
    const line = out.split('\n').find((l) => l.includes('turn relay started'))!;
    const started = JSON.parse(line) as { udp: { port: number }; relayIp: string };
    expect(started.udp.port).toBeGreaterThan(0);
    expect(started.relayIp).toBe('127.0.0.1');
    const c = await TurnClient.connect({ host: '127.0.0.1', port: started.udp.port, rto: 100 });
    await c.binding();
    await c.close();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"stopped"');
  }, 40_000);
});

describe('heartbeat', () => {
  it('kills a child that stops answering and starts a new one', async () => {
    const { fileURLToPath } = await import('node:url');
    const entry = fileURLToPath(new URL('./fixtures/hanging-child.ts', import.meta.url));
    const relay = startRelayProcess(testConfig(), { entry, heartbeatMs: 100, heartbeatMisses: 2, requestTimeoutMs: 300, restartDelay: () => 10, stopTimeoutMs: 500 });
    try {
      await relay.start();
      const first = relay.pid;
      const exit = new Promise((r) => relay.once('child-exit', r));
      const restarted = new Promise((r) => relay.once('child-restarted', r));
      expect(await exit).toMatchObject({ signal: 'SIGKILL', willRestart: true });
      await restarted;
      expect(relay.pid).not.toBe(first);
    } finally {
      await relay.stop();
    }
  }, 60_000);
});
