/**
 * `switchboard send` / `receive` from a terminal (dist/cli/main.js, werift as its WebRTC), inside
 * the e2e namespace: CLI to CLI, CLI to Chromium and Chromium to CLI, directly and through the
 * embedded TURN relay, each with a multi-megabyte file whose SHA-256 matches on arrival. And the
 * bounded failures: no such file, an unreachable server, a peer that never comes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server.js';
import { browserSuite, ctx, poll, roomName, waitConnected } from '../support/e2e.js';
import { execFileSync } from 'node:child_process';

const MB = 3;
let dir: string;
let file: string;
let fileHash: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  // The CLI runs from the build, as `npx switchboard` does for a user.
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  dir = mkdtempSync(join(ctx().tmpDir, 'cli-'));
  const bytes = randomBytes(MB * 1024 * 1024);
  file = join(dir, 'payload.bin');
  writeFileSync(file, bytes);
  fileHash = createHash('sha256').update(bytes).digest('hex');
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

interface Run {
  code: Promise<number | null>;
  output: () => string;
}

/** The CLI, inside the namespace when there is one, its host candidates on the namespace's address. */
function cli(args: string[], opts: { ns?: boolean } = {}): Run {
  const { ns, address } = ctx();
  const argv = [join(REPO_ROOT, 'dist/cli/main.js'), ...args, ...(args[0] === 'send' || args[0] === 'receive' ? ['--ice-address', address] : [])];
  const inNs = ns && opts.ns !== false;
  const child = inNs ? spawn('ip', ['netns', 'exec', ns, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { code: new Promise((resolve) => child.on('exit', (c) => resolve(c))), output: () => out };
}

const server = () => ctx().baseUrl;

async function expectReceived(outDir: string, run: Run): Promise<void> {
  const code = await run.code;
  expect(code, run.output()).toBe(0);
  const files = readdirSync(outDir);
  expect(files).toEqual(['payload.bin']);
  expect(createHash('sha256').update(readFileSync(join(outDir, files[0]!))).digest('hex')).toBe(fileHash);
  expect(run.output()).toContain(`SHA-256 ${fileHash} verified`);
}

describe('the command line', () => {
  const suite = browserSuite({ checkProtocol: true });

  it.each([
    ['directly', []],
    ['through the relay', ['--relay']],
  ])('CLI to CLI %s', async (label, extra) => {
    if (extra.length && ctx().relayError) throw new Error(`the embedded relay is not running: ${ctx().relayError}`);
    const room = roomName('cli');
    const out = mkdtempSync(join(dir, 'out-'));
    const receiver = cli(['receive', '--server', server(), '--room', room, '--out', out, '--wait', '60', ...extra]);
    const sender = cli(['send', file, '--server', server(), '--room', room, '--wait', '60', ...extra]);
    expect(await sender.code, sender.output()).toBe(0);
    expect(sender.output()).toMatch(new RegExp(`sending payload.bin \\(${MB * 1024 * 1024} bytes\\) to terminal \\((direct|relay|path unknown yet)\\)`));
    await expectReceived(out, receiver);
    const path = extra.length ? 'relay' : 'direct';
    expect(sender.output(), label).toContain(`via ${path} path`);
    expect(receiver.output(), label).toContain(`via ${path} path`);
  }, 120_000);

  it.each([
    ['directly', '', []],
    ['through the relay', 'relay=1', ['--relay']],
  ])('Chromium to CLI %s', async (_label, query, extra) => {
    const room = roomName('tocli');
    const out = mkdtempSync(join(dir, 'out-'));
    const receiver = cli(['receive', '--server', server(), '--room', room, '--out', out, '--wait', '90', ...extra]);
    const page = await suite.open(room, 'Browser', { query });
    const s = await waitConnected(page, 1, 60_000);
    if (query) await poll('relayed path', async () => (await page.state()).peers[0]?.path === 'relay', 20_000);
    const bytes = readFileSync(file);
    await page.page.setInputFiles('[data-testid=file-input]', { name: 'payload.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await page.page.selectOption('[data-testid=file-target]', s.peers[0]!.id);
    await page.page.click('[data-testid=file-send]');
    await expectReceived(out, receiver);
    expect(receiver.output()).toContain(`via ${query ? 'relay' : 'direct'} path`);
    const sent = await poll('the browser sees the verdict', async () => (await page.state()).transfers.find((t) => t.direction === 'out' && t.state === 'done'), 20_000);
    expect(sent).toMatchObject({ verified: true, sha256: fileHash });
  }, 150_000);

  it.each([
    ['directly', '', []],
    ['through the relay', 'relay=1', ['--relay']],
  ])('CLI to Chromium %s', async (_label, query, extra) => {
    const room = roomName('fromcli');
    const page = await suite.open(room, 'Browser', { query });
    await poll('joined', async () => (await page.state()).status === 'joined', 20_000);
    const sender = cli(['send', file, '--server', server(), '--room', room, '--wait', '90', ...extra]);
    const got = await poll('the browser receives and verifies', async () => (await page.state()).transfers.find((t) => t.direction === 'in' && t.state !== 'receiving'), 120_000, 200);
    expect(got).toMatchObject({ state: 'done', verified: true, sha256: fileHash, size: MB * 1024 * 1024, name: 'payload.bin' });
    expect(await sender.code, sender.output()).toBe(0);
    expect(sender.output()).toContain(`SHA-256 ${fileHash} verified by the receiver`);
    expect(sender.output()).toContain(`via ${query ? 'relay' : 'direct'} path`);
  }, 150_000);

  it('fails within its bounds with a one-line reason: no such file, an unreachable server, nobody in the room, a bad argument', async () => {
    const started = Date.now();
    const missing = cli(['send', join(dir, 'nope.bin'), '--server', server(), '--room', 'x']);
    expect(await missing.code).toBe(1);
    expect(missing.output()).toMatch(/^switchboard: cannot read .*nope\.bin: no such file\n$/);
    const unreachable = cli(['send', file, '--server', 'http://127.0.0.1:9', '--room', 'x', '--wait', '3']);
    expect(await unreachable.code).toBe(1);
    expect(unreachable.output()).toMatch(/^switchboard: could not reach the server at http:\/\/127\.0\.0\.1:9 within 3 s\n$/);
    const alone = cli(['send', file, '--server', server(), '--room', roomName('alone'), '--wait', '3']);
    expect(await alone.code).toBe(1);
    expect(alone.output()).toMatch(/switchboard: nobody joined room alone-\w+ within 3 s\n$/);
    const usage = cli(['receive', '--server', server()]);
    expect(await usage.code).toBe(2);
    expect(usage.output()).toMatch(/^switchboard: --room <room> is required\n/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
