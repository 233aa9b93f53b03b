/**
 * The command line's refusals, each a one-line reason and a non-zero exit within a bounded time:
 * bad arguments (exit 2, before anything connects), a refused room token, a full room. Run from
 * the sources (tsx) against an in-process server on loopback; no peer connection is ever made.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../../cli/args.js';
import { safeName } from '../../cli/receive.js';
import { REPO_ROOT } from '../support/server.js';
import { join as joinRoomEvent, startServer } from '../signaling/harness.js';

function cli(args: string[]): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli/main.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, ms: Date.now() - started })));
}

describe('switchboard (command line)', () => {
  it('checks its arguments before connecting', () => {
    const bad: Array<[string[], RegExp]> = [
      [['send'], /exactly one <file>/],
      [['send', 'f', '--room', 'r'], /--server <url> is required/],
      [['send', 'f', '--server', 'ftp://x', '--room', 'r'], /must be http:\/\/ or https:\/\//],
      [['send', 'f', '--server', 'http://x', '--room', 'no spaces'], /--room: 1-64 characters/],
      [['send', 'f', '--server', 'http://x', '--room', 'r', '--wait', '0'], /--wait: a number of seconds/],
      [['send', 'f', '--server', 'http://x', '--room', 'r', '--ice-address', 'nope'], /--ice-address: not an IP address/],
      [['send', 'f', '--server', 'http://x', '--room', 'r', '--out', 'd'], /send takes no --out/],
      [['receive', 'f', '--server', 'http://x', '--room', 'r'], /receive takes no file/],
      [['serve', '--room', 'r'], /serve takes no --room/],
      [['frobnicate'], /unknown command: frobnicate/],
      [['conformance', '--server', 'http://x'], /--room <room> is required/],
      [['conformance', 'x', '--server', 'http://x', '--room', 'r'], /conformance takes no arguments/],
      [['conformance', '--server', 'http://x', '--room', 'r', '--out', 'd'], /conformance takes no --out/],
      [['send', 'f', '--server', 'http://x/rtc', '--room', 'r'], /--server: the server's origin only/],
      [['send', 'f', '--server', 'http://x', '--room', 'r', '--path', 'rtc'], /--path: a path like/],
      [['send', 'f', '--server', 'http://x', '--room', 'r', '--token', 'x'.repeat(4097)], /--token: 1-4096/],
      [['send', 'f', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of bad) expect(() => parseCommand(argv), argv.join(' ')).toThrow(message);
    expect(() => parseCommand(['send'])).toThrow(UsageError);
    expect(parseCommand(['conformance', '--server', 'http://h:3000', '--room', 'r'])).toMatchObject({ cmd: 'conformance', peer: { name: 'conformance', waitMs: 60_000 } });
    expect(parseCommand(['receive', '--server', 'http://h:3000/', '--room', 'r', '--relay'])).toMatchObject({ cmd: 'receive', out: '.', peer: { server: 'http://h:3000', room: 'r', relay: true, waitMs: 60_000, name: 'terminal' } });
  });

  it('keeps a received name inside --out and never overwrites', () => {
    const dir = join(REPO_ROOT, '.tmp');
    expect(safeName('/out', '../../etc/passwd')).toBe('/out/passwd');
    expect(safeName('/out', 'a\\..\\b.txt')).toBe('/out/b.txt');
    expect(safeName('/out', '..')).toBe('/out/received-file');
    expect(safeName('/out', 'x\u0000y\n.bin')).toBe('/out/xy.bin');
    expect(safeName('/out', 'invoice\u202Efdp.exe')).toBe('/out/invoicefdp.exe');
    const long = safeName('/out', `${'文'.repeat(100)}.tar.gz`);
    expect(Buffer.byteLength(long.slice(5))).toBeLessThanOrEqual(200);
    expect(long.endsWith('.gz')).toBe(true);
    writeFileSync(join(dir, 'taken.bin'), '');
    expect(safeName(dir, 'taken.bin')).toBe(join(dir, 'taken (1).bin'));
  });

  it('serve runs the server as npm start does, on --port, and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli/main.ts'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TURN_ENABLED: 'false', TURN_URLS: 'turn:203.0.113.10:3478', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not listen within 30 s:\n${out}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
        if (line) (clearTimeout(timer), resolve((JSON.parse(line) as { port: number }).port));
      });
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('exits 2 with the usage for a bad argument, 1 with a one-line reason for a refused token or a full room', async () => {
    const srv = await startServer({ ROOM_SECRET: 'cli-room-secret-0123456789', ROOM_CAPACITY: '2' });
    const file = join(REPO_ROOT, '.tmp', 'cli-payload.txt');
    writeFileSync(file, 'hello');

    const usage = await cli(['send', file, '--room', 'r']);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/^switchboard: --server <url> is required\n\nUsage:/);

    const refused = await cli(['send', file, '--server', srv.url, '--room', 'locked', '--token', '123.abc', '--wait', '10']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^switchboard: the server refused to let us in: .+\n$/);

    const open = await startServer({ ROOM_CAPACITY: '2' });
    const [a, b] = [await open.client(), await open.client()];
    await joinRoomEvent(a, 'crowded');
    await joinRoomEvent(b, 'crowded');
    const full = await cli(['receive', '--server', open.url, '--room', 'crowded', '--wait', '10']);
    expect(full.code).toBe(1);
    expect(full.out).toBe('switchboard: room crowded is full\n');
    for (const r of [refused, full]) expect(r.ms).toBeLessThan(15_000);
  }, 60_000);
});
