/**
 * The Node.js that runs the tests: one of those package.json's "engines" allows, and, when
 * scripts/test.sh runs the suites again under another Node (SWITCHBOARD_TEST_NODE: the binary's
 * path), the test workers really are that binary (vitest forks its workers with the execPath of
 * the vitest process, so running vitest under another Node is what switches them).
 */
import { realpathSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

/** `version` satisfies `range`, a `||` list of `^x.y.z` and `>=x.y.z` (all that "engines" uses). */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map(Number) as [number, number, number];
  const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const v = parse(version);
  return range.split('||').some((part) => {
    const m = /^\s*(\^|>=)\s*(\d+\.\d+\.\d+)\s*$/.exec(part);
    if (!m) throw new Error(`engines: cannot read "${part.trim()}"`);
    const min = parse(m[2]!);
    return cmp(v, min) >= 0 && (m[1] === '>=' || v[0] === min[0]);
  });
}

describe('the Node.js running the tests', () => {
  it('is one package.json "engines" allows', () => {
    console.log(`[runtime] Node ${process.version} (${process.execPath})`);
    expect(satisfies('20.19.0', '^20.19.0 || >=24.0.0') && !satisfies('22.11.0', '^20.19.0 || ^22.12.0') && satisfies('25.1.0', '>=24.0.0')).toBe(true);
    expect(satisfies(process.version, pkg.engines.node), `Node ${process.version} is outside engines "${pkg.engines.node}"`).toBe(true);
  });

  it.runIf(process.env.SWITCHBOARD_TEST_NODE)('is the binary scripts/test.sh chose (SWITCHBOARD_TEST_NODE)', () => {
    expect(realpathSync(process.execPath)).toBe(realpathSync(process.env.SWITCHBOARD_TEST_NODE!));
  });
});
