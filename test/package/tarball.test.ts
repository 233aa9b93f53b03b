/**
 * The package as a user installs it: `npm pack`, the tarball installed into an empty directory
 * offline, every export imported from plain JavaScript (and run: the server with its relay from
 * dist/, the client joining from Node), and a TypeScript consumer type-checked against the
 * shipped declarations under both module resolutions people use.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { TurnClient } from '../../turn/client/index.js';
import { connectClient, join as joinRoomEvent } from '../signaling/harness.js';
import { type InstalledPackage, packAndInstall } from '../support/pack.js';
import { REPO_ROOT } from '../support/server.js';

const run = promisify(execFile);
const FIXTURES = join(REPO_ROOT, 'test/package/fixtures');

let pkg: InstalledPackage;

/**
 * Runs examples/<name> in the consumer directory (where `switchboard` is the installed package)
 * until its output matches `ready`; `stop()` sends SIGTERM and resolves with the exit code.
 */
async function runExample(name: string, env: Record<string, string>, ready: RegExp): Promise<{ match: RegExpExecArray; stop(): Promise<number | null> }> {
  cpSync(join(REPO_ROOT, 'examples', name), join(pkg.dir, name));
  const child = spawn(process.execPath, [name], { cwd: pkg.dir, env: { ...process.env, TURN_SECRET: 'example-secret-0123456789', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${name}: no ${ready} within 30 s:\n${out}`))), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) (clearTimeout(timer), resolve(m));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`${name} exited (${code}) before ${ready}:\n${out}`))));
  });
  return { match, stop: () => (child.kill('SIGTERM'), exited) };
}
beforeAll(async () => {
  // @types/node: a Node user's project has it; the server's declarations use node:http and friends.
  pkg = await packAndInstall('tarball', ['@types/node@20']);
}, 180_000);

describe('the packed package', () => {
  it('ships dist/, the README and the licence, and nothing of the sources or tests', () => {
    expect(pkg.files).toContain('package.json');
    expect(pkg.files).toContain('README.md');
    expect(pkg.files).toContain('LICENSE');
    for (const f of ['dist/client/index.js', 'dist/web/src/core/index.d.ts', 'dist/server/index.js', 'dist/server/index.d.ts', 'dist/turn/index.js', 'dist/turn/index.d.ts', 'dist/turn/child-entry.js', 'dist/web/dist/page.html', 'dist/server/observability/dashboard/index.html', 'dist/cli/main.js', 'dist/node/index.js', 'dist/node/index.d.ts']) {
      expect(pkg.files, f).toContain(f);
    }
    const stray = pkg.files.filter((f) => /^(server|turn|web|test|bench|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts') || f.endsWith('.map') || f.includes('tsbuildinfo'));
    expect(stray).toEqual([]);
  });

  it('installs the `switchboard` command (npx switchboard)', async () => {
    const help = await run('npx', ['--no-install', 'switchboard', '--help'], { cwd: pkg.dir, timeout: 30_000 });
    expect(help.stdout).toMatch(/^Usage:\n {2}switchboard send <file> --server <url> --room <room>/);
    const bad = await run('npx', ['--no-install', 'switchboard', 'send'], { cwd: pkg.dir, timeout: 30_000 }).catch((err: { code?: number; stderr?: string }) => err);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/^switchboard: send takes exactly one <file>/) });
  }, 60_000);

  it('imports every entry point from plain JavaScript and runs server, relay and client from them', async () => {
    cpSync(join(FIXTURES, 'consumer.mjs'), join(pkg.dir, 'consumer.mjs'));
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: pkg.dir, timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { exports: Record<string, string[]>; checks: Record<string, unknown>; version: string };
    expect(out.exports['switchboard/client']).toEqual(['MESSAGE_MAX_BYTES', 'ROOM_PATTERN', 'SwitchboardError', 'joinRoom']);
    expect(out.exports.switchboard).toEqual(out.exports['switchboard/client']);
    expect(out.exports['switchboard/server']).toEqual(expect.arrayContaining(['createApp', 'loadConfig', 'ConfigError', 'createCluster', 'ERROR_CODES']));
    expect(out.exports['switchboard/turn']).toEqual(expect.arrayContaining(['createRelay', 'startRelayProcess', 'restCredentials']));
    expect(out.exports['switchboard/server']).toEqual(expect.arrayContaining(['createSignalingServer', 'attachSignaling', 'configFromOptions']));
    expect(out.exports['switchboard/node']).toEqual(['LOOPBACK_ONLY', 'MEDIA_UNSUPPORTED', 'createWeriftRtc', 'onlyAddress']);
    expect(out.checks).toEqual({
      relayPort: expect.any(Number),
      health: 200,
      page: true,
      configError: true,
      joined: true,
      selfId: true,
      sendError: 'unknown-peer',
      optionError: true,
      relayAlone: true,
    });
    expect(out.checks.relayPort).toBeGreaterThan(0);
  }, 90_000);

  it("runs the README's server example from the installed package, and it stops on SIGTERM with exit 0", async () => {
    const ex = await runExample('server.mjs', { PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', LOG_LEVEL: 'silent' }, /Switchboard on (\S+), TURN\/STUN on UDP and TCP port (\d+)/);
    try {
      expect((await fetch(`${ex.match[1]}/healthz`)).status).toBe(200);
    } finally {
      expect(await ex.stop()).toBe(0);
    }
  }, 60_000);

  it("runs the README's express embedding example: the app's route and Switchboard's signaling on one port", async () => {
    const ex = await runExample('embed-express.mjs', { PORT: '0', TURN_PORT: '0' }, /my app on port (\d+), Switchboard at \/rtc\/socket\.io/);
    try {
      const base = `http://127.0.0.1:${ex.match[1]}`;
      expect(await (await fetch(`${base}/`)).text()).toBe('my app');
      const ice = (await (await fetch(`${base}/rtc/ice-servers?room=demo`)).json()) as { iceServers: Array<{ urls: string[] }> };
      expect(ice.iceServers.flatMap((s) => s.urls).some((u) => u.startsWith('turn:'))).toBe(true);
      const a = await connectClient(base, { path: '/rtc/socket.io' });
      expect((await joinRoomEvent(a, 'embedded-example')).peerId).toMatch(/./);
      a.disconnect();
    } finally {
      expect(await ex.stop()).toBe(0);
    }
  }, 60_000);

  it("runs the README's terminal example (npx switchboard receive and send) against a server on loopback: the file arrives whole", async () => {
    // The server and its relay on 127.0.0.1 only, and the CLI's peers too (--ice-address): nothing leaves loopback.
    const app = createApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_ALLOW_PEERS: '127.0.0.0/8', TURN_SECRET: 'transfer-secret-0123456789', LOG_LEVEL: 'silent' }));
    const { url } = await app.start();
    try {
      cpSync(join(REPO_ROOT, 'examples/transfer.sh'), join(pkg.dir, 'transfer.sh'));
      const bytes = randomBytes(2 * 1024 * 1024);
      writeFileSync(join(pkg.dir, 'payload.bin'), bytes);
      const out = join(pkg.dir, 'received');
      const res = await run('sh', ['transfer.sh', url.replace('localhost', '127.0.0.1'), 'terminal-example', 'payload.bin', out, '--ice-address', '127.0.0.1', '--wait', '60'], { cwd: pkg.dir, timeout: 90_000 });
      const hash = createHash('sha256').update(bytes).digest('hex');
      expect(res.stderr).toContain(`SHA-256 ${hash} verified by the receiver`);
      expect(createHash('sha256').update(readFileSync(join(out, 'payload.bin'))).digest('hex')).toBe(hash);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it("runs the README's relay example, whose printed credentials allocate on it", async () => {
    const ex = await runExample('relay.mjs', {}, /turn:([\d.]+):(\d+)\?transport=udp (\{.*\})/);
    try {
      const [, host, port, creds] = ex.match;
      const { username, credential } = JSON.parse(creds!) as { username: string; credential: string };
      const c = await TurnClient.connect({ transport: 'udp', host: host!, port: Number(port), username, password: credential });
      try {
        const alloc = await c.allocate({ lifetime: 60 });
        expect(alloc.relayed.port).toBeGreaterThan(0);
        await c.refresh(0);
      } finally {
        await c.close();
      }
    } finally {
      expect(await ex.stop()).toBe(0);
    }
  }, 60_000);

  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('type-checks a TypeScript consumer (moduleResolution %s) against the shipped declarations', async (label, resolution) => {
    cpSync(join(FIXTURES, 'consumer.ts'), join(pkg.dir, 'consumer.ts'));
    const tsconfig = join(pkg.dir, `tsconfig.${label}.json`);
    writeFileSync(tsconfig, JSON.stringify({
      compilerOptions: { ...resolution, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false },
      files: ['consumer.ts'],
    }));
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const res = await run(process.execPath, [tsc, '-p', tsconfig], { cwd: pkg.dir, timeout: 120_000 }).catch((err: { stdout?: string; stderr?: string }) => err);
    expect(`${res.stdout ?? ''}${res.stderr ?? ''}`).toBe('');
  }, 150_000);
});
