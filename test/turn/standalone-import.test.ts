/**
 * The relay stands alone: nothing under turn/ imports the signaling server (server/), so
 * `switchboard/turn` (turn/index.ts) and `npm run turn` (turn/main.ts) load neither the server's
 * environment module nor anything else of it, and the relay's declarations do not name its types.
 *
 * Checked on the static import graph of the sources: every `import`/`export ... from` specifier
 * (type-only ones included, since they end up in the published .d.ts files) and every `import()`
 * with a literal argument, relative ones resolved to files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TURN = join(ROOT, 'turn');

// `import x from '…'`, `import type {…} from '…'`, `export {…} from '…'`, `export * from '…'`,
// `import '…'` (side effects) and `import('…')`; the `[^;]*?` spans multi-line import lists.
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s(?:[^;]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    // Comments can mention imports (this file's header does); they do not load anything.
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

/** The source file a relative specifier names (`./x.js` is `./x.ts` on disk). */
function resolveRelative(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) throw new Error(`${relative(ROOT, from)}: cannot resolve '${spec}'`);
  return found;
}

/** Relative imports of `file` as resolved paths; bare ones (node:*, packages) as they are written. */
function edges(file: string): Array<{ spec: string; target: string | null }> {
  return specifiers(file).map((spec) => ({ spec, target: spec.startsWith('.') ? resolveRelative(file, spec) : null }));
}

function closure(entry: string): Map<string, Array<{ spec: string; target: string | null }>> {
  const seen = new Map<string, Array<{ spec: string; target: string | null }>>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    const e = edges(f);
    seen.set(f, e);
    for (const { target } of e) if (target && !seen.has(target)) todo.push(target);
  }
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? tsFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const inside = (dir: string, file: string) => !relative(dir, file).startsWith('..');

/** `from -> spec` for every import of `files` that leaves turn/ (relative) or names the package's server. */
function leaving(files: Iterable<[string, Array<{ spec: string; target: string | null }>]>): string[] {
  const out: string[] = [];
  for (const [file, es] of files) {
    for (const { spec, target } of es) {
      const escapes = target ? !inside(TURN, target) : /^switchboard(\/server)?$/.test(spec);
      if (escapes) out.push(`${relative(ROOT, file)} -> ${spec}`);
    }
  }
  return out;
}

describe('the relay does not depend on the signaling server', () => {
  it('the walker sees the imports it must see', () => {
    // Guards the regex and the resolution: a walker that found nothing would pass everything.
    const graph = closure(join(ROOT, 'server/relay-factory.ts'));
    expect([...graph.keys()].map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['server/log.ts', 'turn/child.ts', 'turn/config.ts']));
    expect(leaving(graph)).toContain('server/relay-factory.ts -> ./log.js');
    expect(specifiers(join(TURN, 'index.ts'))).toEqual(expect.arrayContaining(['./relay.js', './child.js', './config.js']));
  });

  it('turn/index.ts (switchboard/turn) reaches only files under turn/', () => {
    const graph = closure(join(TURN, 'index.ts'));
    expect(graph.size).toBeGreaterThan(20);
    expect(leaving(graph)).toEqual([]);
    expect([...graph.keys()].filter((f) => inside(join(ROOT, 'server'), f))).toEqual([]);
  });

  it('no file under turn/ imports anything outside turn/', () => {
    // Also the entries the index does not import: main.ts (npm run turn) and child-entry.ts (forked).
    const files = tsFiles(TURN);
    expect(files.map((f) => relative(TURN, f))).toEqual(expect.arrayContaining(['main.ts', 'child-entry.ts', 'env.ts']));
    expect(leaving(files.map((f) => [f, edges(f)] as const))).toEqual([]);
  });
});
