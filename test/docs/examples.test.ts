/**
 * Every code example in the documentation is a file that a test runs: a ```js/```ts block in the
 * README or docs/ must follow an `<!-- example: <path> -->` line naming a file whose content it is
 * exactly, and that file must be used by a test. Shell blocks (commands) are not examples.
 * And the API reference (docs/api) is what TypeDoc makes of the current TSDoc, with every public
 * declaration documented.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server.js';

const run = promisify(execFile);

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

const docs = [join(REPO_ROOT, 'README.md'), ...walk(join(REPO_ROOT, 'docs'), (f) => f.endsWith('.md') && !f.includes('/docs/api/'))];

interface Block {
  doc: string;
  lang: string;
  code: string;
  example: string | null;
}

function blocks(doc: string): Block[] {
  const text = readFileSync(doc, 'utf8');
  const out: Block[] = [];
  for (const m of text.matchAll(/(?:<!-- example: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g)) {
    out.push({ doc: relative(REPO_ROOT, doc), example: m[1] ?? null, lang: m[2]!, code: m[3]! });
  }
  return out;
}

describe('documentation examples', () => {
  const all = docs.flatMap(blocks);
  // Program code always; a shell block when it names its file (command lines stay prose).
  const code = all.filter((b) => /^(js|ts|javascript|typescript|mjs|tsx|jsx)$/.test(b.lang) || (b.lang === 'sh' && b.example !== null));

  it('finds the README examples (the checks below are not vacuous)', () => {
    expect(code.map((b) => b.example)).toEqual(expect.arrayContaining(['examples/vite-chat/main.js', 'examples/server.mjs', 'examples/relay.mjs', 'examples/embed-express.mjs', 'examples/transfer.sh']));
  });

  it('every code block is a file, verbatim', () => {
    const problems: string[] = [];
    for (const b of code) {
      if (!b.example) problems.push(`${b.doc}: a \`\`\`${b.lang} block without <!-- example: path -->`);
      else if (!existsSync(join(REPO_ROOT, b.example))) problems.push(`${b.doc}: ${b.example} does not exist`);
      else if (readFileSync(join(REPO_ROOT, b.example), 'utf8') !== b.code) problems.push(`${b.doc}: the block differs from ${b.example}`);
    }
    expect(problems).toEqual([]);
  });

  it('every example file is run by a test', () => {
    const tests = walk(join(REPO_ROOT, 'test'), (f) => f.endsWith('.ts') && !f.endsWith('examples.test.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = [...new Set(code.map((b) => b.example).filter((e): e is string => e !== null))].filter((e) => {
      // A test names the file, or its folder and the file's name (cpSync(join('examples/x', f))).
      const [dir, file] = [e.slice(0, e.lastIndexOf('/')), e.slice(e.lastIndexOf('/') + 1)];
      return !tests.includes(e) && !(tests.includes(dir) && tests.includes(`'${file}'`));
    });
    expect(unused).toEqual([]);
  });
});

describe('the API reference', () => {
  it('docs/api is what TypeDoc makes of the current TSDoc, with every public declaration documented', async () => {
    const out = mkdtempSync(join(REPO_ROOT, '.tmp', 'api-'));
    const typedoc = join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc');
    const res = await run(process.execPath, [typedoc, '--out', out, '--treatValidationWarningsAsErrors', '--logLevel', 'Warn'], { cwd: REPO_ROOT, timeout: 120_000 }).catch((err: { stdout?: string; stderr?: string }) => err);
    expect(`${res.stdout ?? ''}${res.stderr ?? ''}`.trim()).toBe('');
    const files = (dir: string) => walk(dir, () => true).map((f) => relative(dir, f)).sort();
    const committed = join(REPO_ROOT, 'docs/api');
    expect(files(committed)).toEqual(files(out));
    const stale = files(out).filter((f) => readFileSync(join(out, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'));
    expect(stale, 'run `npx typedoc` and commit docs/api').toEqual([]);
  }, 150_000);
});
