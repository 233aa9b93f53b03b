/**
 * What the conformance check found: one line per check, in the order the checks ran, each passed
 * or failed with what was seen. The checks are named so a report can be compared across runs.
 */

import { printable } from '../printable.js';

/** The outcome of one check. */
export interface CheckResult {
  /** A stable name: `signal.offer`, `channel.hello`, ... (docs/protocol.md, "Conformance"). */
  id: string;
  ok: boolean;
  /** What the check expects, as one sentence. */
  what: string;
  /** What was seen, when it failed (or a figure when it passed). */
  detail?: string;
}

export class Report {
  readonly results: CheckResult[] = [];
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  /** Records one check and prints it at once (a long check run shows progress). */
  check(id: string, ok: boolean, what: string, detail?: string): boolean {
    const r: CheckResult = detail === undefined ? { id, ok, what } : { id, ok, what, detail };
    this.results.push(r);
    this.#log(`${ok ? 'PASS' : 'FAIL'}  ${id}: ${what}${detail ? ` (${detail})` : ''}`);
    return ok;
  }

  get failed(): CheckResult[] {
    return this.results.filter((r) => !r.ok);
  }

  summary(): string {
    const bad = this.failed;
    return bad.length === 0
      ? `conformance: all ${this.results.length} checks passed`
      : `conformance: ${bad.length} of ${this.results.length} checks failed: ${bad.map((r) => r.id).join(', ')}`;
  }
}

/** A peer's message, shortened for a report line, as the terminal may show it (printable.ts). */
export function excerpt(v: string | Uint8Array, max = 120): string {
  if (typeof v !== 'string') {
    const head = [...v.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `${v.length} bytes: ${head}${v.length > 8 ? ' ...' : ''}`;
  }
  return printable(JSON.stringify(v.length > max ? `${v.slice(0, max)}...` : v));
}
