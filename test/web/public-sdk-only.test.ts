/**
 * The web app is built on the public SDK alone: nothing outside web/src/core imports a module of
 * it by path; the app imports `switchboard/client`, like any other user. (Tests may reach inside.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server.js';

const CORE = resolve(REPO_ROOT, 'web/src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return p === CORE ? [] : sources(p);
    return /\.(ts|js|mjs)$/.test(d.name) ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

describe('the web app and the SDK', () => {
  const files = sources(resolve(REPO_ROOT, 'web/src'));

  it('finds the app modules and their imports (the check below is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(10);
    const all = files.flatMap((f) => specifiers(readFileSync(f, 'utf8')));
    expect(all).toContain('switchboard/client');
    expect(specifiers("import a from '../core/room.js';\nexport { b } from \"x\";\nconst c = import('y');")).toEqual(['../core/room.js', 'x', 'y']);
  });

  it('no app module imports the SDK by path', () => {
    const deep: string[] = [];
    for (const f of files) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (!s.startsWith('.')) continue;
        const target = resolve(dirname(f), s);
        if (target === CORE || target.startsWith(`${CORE}/`)) deep.push(`${relative(REPO_ROOT, f)} imports ${s}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it('the SDK itself reaches no DOM: no document, window or navigator in web/src/core', () => {
    const uses: string[] = [];
    for (const d of readdirSync(CORE)) {
      const text = readFileSync(join(CORE, d), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const g of ['document', 'window', 'navigator', 'localStorage', 'location']) if (new RegExp(`\\b${g}\\.`).test(text)) uses.push(`${d}: ${g}`);
    }
    expect(uses).toEqual([]);
  });
});
