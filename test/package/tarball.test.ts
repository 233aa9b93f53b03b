/**
 * The package as a user installs it: `npm pack`, the tarball installed into an empty directory
 * offline, every export imported from plain JavaScript (and run: the server with its relay from
 * dist/, the client joining from Node), and a TypeScript consumer type-checked against the
 * shipped declarations under both module resolutions people use.
 */
import { execFile } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type InstalledPackage, packAndInstall } from '../support/pack.js';
import { REPO_ROOT } from '../support/server.js';

const run = promisify(execFile);
const FIXTURES = join(REPO_ROOT, 'test/package/fixtures');

let pkg: InstalledPackage;
beforeAll(async () => {
  // @types/node: a Node user's project has it; the server's declarations use node:http and friends.
  pkg = await packAndInstall('tarball', ['@types/node@20']);
}, 180_000);

describe('the packed package', () => {
  it('ships dist/, the README and the licence, and nothing of the sources or tests', () => {
    expect(pkg.files).toContain('package.json');
    expect(pkg.files).toContain('README.md');
    expect(pkg.files).toContain('LICENSE');
    for (const f of ['dist/client/index.js', 'dist/web/src/core/index.d.ts', 'dist/server/index.js', 'dist/server/index.d.ts', 'dist/turn/index.js', 'dist/turn/index.d.ts', 'dist/turn/child-entry.js', 'dist/web/dist/page.html', 'dist/server/observability/dashboard/index.html']) {
      expect(pkg.files, f).toContain(f);
    }
    const stray = pkg.files.filter((f) => /^(server|turn|web|test|bench|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts') || f.endsWith('.map') || f.includes('tsbuildinfo'));
    expect(stray).toEqual([]);
  });

  it('imports every entry point from plain JavaScript and runs server, relay and client from them', async () => {
    cpSync(join(FIXTURES, 'consumer.mjs'), join(pkg.dir, 'consumer.mjs'));
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: pkg.dir, timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { exports: Record<string, string[]>; checks: Record<string, unknown>; version: string };
    expect(out.exports['switchboard/client']).toEqual(['MESSAGE_MAX_BYTES', 'ROOM_PATTERN', 'SwitchboardError', 'joinRoom']);
    expect(out.exports.switchboard).toEqual(out.exports['switchboard/client']);
    expect(out.exports['switchboard/server']).toEqual(expect.arrayContaining(['createApp', 'loadConfig', 'ConfigError', 'createCluster', 'ERROR_CODES']));
    expect(out.exports['switchboard/turn']).toEqual(expect.arrayContaining(['createRelay', 'startRelayProcess', 'restCredentials']));
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
