import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { connectClient, join, next, startServer, until } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('shutdown', () => {
  it('tells clients, answers readyz 503 while draining, then closes them', async () => {
    const srv = await startServer({ SHUTDOWN_DRAIN_MS: '400' });
    const a = await srv.client();
    await join(a, 'bye');
    expect((await fetch(`${srv.url}/readyz`)).status).toBe(200);
    const notice = next<{ reconnectAfterMs: number }>(a, 'server-shutdown');
    const closed = next<string>(a, 'disconnect', 5000);
    const stopping = srv.app.stop();
    expect((await notice).reconnectAfterMs).toBeGreaterThanOrEqual(1000);
    const ready = await fetch(`${srv.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not-ready', reason: 'shutting down' });
    expect(await closed).toMatch(/transport close|io server disconnect/);
    await stopping;
    await expect(connectClient(srv.url)).rejects.toThrow();
  });

  it('leaves no timers or sockets behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_URLS: 'turn:127.0.0.1:3478', RESUME_GRACE_MS: '60000' });
    const app = createApp(config, { log: createLogger('silent'), relayFactory: null });
    const { port } = await app.start();
    const sockets = [0, 1, 2].map(() => connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false }));
    await Promise.all(sockets.map((s) => once(s as unknown as NodeJS.EventEmitter, 'connect')));
    await Promise.all(sockets.map((s) => s.timeout(5000).emitWithAck('join', { room: 'leak' })));
    // A dropped transport leaves a pending departure timer: stop() must clear it too.
    (sockets[0]!.io as unknown as { engine: { close(): void } }).engine.close();
    await until(async () => (await fetch(`http://127.0.0.1:${port}/api/stats`).then((r) => r.json() as Promise<{ signaling: { pendingDepartures: number } }>)).signaling.pendingDepartures === 1, 'a pending departure');
    await app.stop();
    for (const s of sockets) s.disconnect();
    await until(() => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length <= before, `handles back to ${before}: ${process.getActiveResourcesInfo().join(',')}`, 3000);
  });

  it('npm start process: SIGTERM notifies clients and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_URLS: 'turn:127.0.0.1:3478', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => /"msg":"listening"/.test(out), `the server to listen; output:\n${out}`, 20_000);
      const port = Number(/"port":(\d+)/.exec(out)![1]);
      const a = await connectClient(`http://127.0.0.1:${port}`);
      await join(a, 'sig');
      const notice = next(a, 'server-shutdown');
      const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
      child.kill('SIGTERM');
      await notice;
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out).toContain('"msg":"stopped"');
      expect(out).not.toContain('forcing exit');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a bad environment fails start with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', ROOM_CAPACITY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(err).toContain('PORT:');
    expect(err).toContain('ROOM_CAPACITY:');
  });
});
