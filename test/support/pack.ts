/**
 * The package as a user gets it: `npm pack` of this repository (its `prepack` builds dist/), the
 * tarball installed into an empty directory from the file, never from a registry. Its dependencies
 * come from npm's cache where it has them (`--prefer-offline`); `--offline` alone is not enough on
 * a fresh machine, because an install from a lock file caches the packages' tarballs but not the
 * registry documents npm needs to resolve a new directory's ranges.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './server.js';

const run = promisify(execFile);

export interface InstalledPackage {
  /** The consumer directory: package.json, node_modules/switchboard. */
  dir: string;
  tarball: string;
  /** Paths inside the tarball (`package/...` stripped). */
  files: string[];
}

/** Packs the repository and installs the tarball (plus `extra` packages, also offline) into a new directory under .tmp/. */
export async function packAndInstall(label: string, extra: string[] = []): Promise<InstalledPackage> {
  const base = join(REPO_ROOT, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${label}-`));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  // npm prints prepack's own output before the JSON.
  const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = join(dir, json[0]!.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${label}-consumer`, private: true, type: 'module' }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extra], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return { dir, tarball, files: json[0]!.files.map((f) => f.path) };
}
