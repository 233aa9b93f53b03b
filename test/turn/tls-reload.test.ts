/**
 * TLS certificate hot reload: on request (SIGHUP in `npm run turn`, reloadTls() in process and over
 * IPC) and on file change, new TLS connections get the new certificate, established ones and their
 * allocations stay; a broken pair is refused with a log line and the old one kept. Two test
 * certificates made with the openssl CLI (as tls.test.ts does).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelayProcess } from '../../turn/child.js';
import { client, startRelay, testConfig, waitFor } from './helpers.js';
import { makeCert, servedCn } from '../support/tls-certs.js';

let dir: string;
let certPath: string;
let keyPath: string;
const made = (name: string) => ({ cert: join(dir, `${name}-cert.pem`), key: join(dir, `${name}-key.pem`) });

/** Make the live cert.pem/key.pem the pair `cert` of one name and `key` of another. */
function install(certOf: string, keyOf = certOf): void {
  copyFileSync(made(certOf).cert, certPath);
  copyFileSync(made(keyOf).key, keyPath);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'turn-tls-reload-'));
  for (const name of ['relay-a', 'relay-b']) makeCert(dir, name);
  certPath = join(dir, 'cert.pem');
  keyPath = join(dir, 'key.pem');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function logger() {
  const lines: string[] = [];
  const at = (level: string) => (obj: object | string, msg?: string) => lines.push(`${level} ${msg ?? obj} ${typeof obj === 'object' ? JSON.stringify(obj) : ''}`);
  return { lines, log: { debug() {}, info: at('info'), warn: at('warn'), error: at('error') } };
}

/** A relay serving relay-a's pair from the live files, with a capturing logger. */
async function relayOnA(tlsWatchIntervalMs: number) {
  install('relay-a');
  const { lines, log } = logger();
  const started = await startRelay({ tlsCert: certPath, tlsKey: keyPath }, { logger: log, tlsWatchIntervalMs });
  stops.push(() => started.relay.stop());
  const port = started.addr.tls!.port;
  expect(await servedCn(port)).toBe('relay-a');
  return { ...started, lines, port };
}

describe('TLS certificate reload', () => {
  it('on request: new connections get the new pair, an established allocation stays; a broken pair is refused', async () => {
    const { relay, addr, lines, port } = await relayOnA(0);
    const c = await client(addr, { transport: 'tls', tls: { rejectUnauthorized: false } });
    stops.push(() => c.close());
    await c.allocate();

    install('relay-b');
    expect(await relay.reloadTls()).toBe(true);
    expect(await servedCn(port)).toBe('relay-b');
    expect(await c.refresh(600)).toBe(600); // the connection made before still works
    expect((await relay.stats()).allocations).toBe(1);

    install('relay-a', 'relay-b'); // a certificate with another certificate's key
    expect(await relay.reloadTls()).toBe(false);
    expect(lines.some((l) => l.startsWith('error turn: new TLS certificate refused'))).toBe(true);
    expect(await servedCn(port)).toBe('relay-b');
    rmSync(keyPath);
    expect(await relay.reloadTls()).toBe(false);
    expect(await servedCn(port)).toBe('relay-b');
    expect(relay.handlerErrors).toBe(0);
  });

  it('on file change: a broken pair is refused and logged, then the good one is picked up', async () => {
    const { lines, port } = await relayOnA(50);
    install('relay-b', 'relay-a');
    await waitFor(() => lines.some((l) => l.startsWith('error turn: new TLS certificate refused') && l.includes('file change')), 10_000, 'refusal logged');
    expect(await servedCn(port)).toBe('relay-a');
    install('relay-b');
    await waitFor(async () => (await servedCn(port)) === 'relay-b', 10_000, 'new certificate served');
    expect(lines.some((l) => l.startsWith('info turn: TLS certificate reloaded') && l.includes('file change'))).toBe(true);
  });

  it('a relay without TLS answers false', async () => {
    const { relay } = await startRelay();
    stops.push(() => relay.stop());
    expect(await relay.reloadTls()).toBe(false);
  });

  it('in a child process, over IPC', async () => {
    install('relay-a');
    const relay = startRelayProcess(testConfig({ tlsCert: certPath, tlsKey: keyPath }), { relayOptions: { tlsWatchIntervalMs: 0 } });
    stops.push(() => relay.stop());
    const addr = await relay.start();
    expect(await servedCn(addr.tls!.port)).toBe('relay-a');
    install('relay-b');
    expect(await relay.reloadTls()).toBe(true);
    expect(await servedCn(addr.tls!.port)).toBe('relay-b');
  }, 30_000);

  it('npm run turn reloads on SIGHUP', async () => {
    install('relay-a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, LOG_LEVEL: 'info', TURN_LISTEN_IP: '127.0.0.1', TURN_PORT: '0', TURN_TLS_PORT: '0', TURN_TLS_CERT: certPath, TURN_TLS_KEY: keyPath, TURN_MIN_PORT: '40000', TURN_MAX_PORT: '40999' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    stops.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    const logs: Array<{ msg?: string; trigger?: string; tls?: { port: number } }> = [];
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += String(d);
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        try {
          logs.push(JSON.parse(buf.slice(0, i)) as (typeof logs)[number]);
        } catch {
          // not a log line
        }
        buf = buf.slice(i + 1);
      }
    });
    await waitFor(() => logs.some((l) => l.msg === 'turn relay started'), 20_000, 'relay started');
    const port = logs.find((l) => l.msg === 'turn relay started')!.tls!.port;
    expect(await servedCn(port)).toBe('relay-a');
    install('relay-b');
    child.kill('SIGHUP');
    // trigger 'request' is the SIGHUP path (the file poll logs 'file change').
    await waitFor(() => logs.some((l) => l.msg?.startsWith('turn: TLS certificate reloaded') && l.trigger === 'request'), 10_000, 'reload on SIGHUP');
    expect(await servedCn(port)).toBe('relay-b');
  }, 40_000);
});
