/**
 * The hot-path pre-check must never accept what the zod schema (the validator of record) rejects,
 * and must recognise the candidates real clients send (else it is dead code).
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../support/rng.js';
import { isPlainCandidateSignal } from '../../server/protocol/fast-candidate.js';
import { signalRequest } from '../../server/protocol/schemas.js';


const valid = () => ({
  to: 'abcdEFGH_1234-xyz',
  data: {
    type: 'candidate',
    candidate: { candidate: 'candidate:842163049 1 udp 1677729535 198.51.100.7 49152 typ srflx raddr 10.0.0.2 rport 49152', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' },
  },
});

/** Values a mutation may put anywhere: edge lengths, wrong types, nulls, numbers that are not indexes. */
const ODD: unknown[] = [
  undefined, null, true, 0, -1, 1.5, 1024, 1025, NaN, Infinity, '', 'x', 'short', 'a'.repeat(7), 'a'.repeat(8),
  'a'.repeat(64), 'a'.repeat(65), 'a'.repeat(256), 'a'.repeat(257), 'a'.repeat(1024), 'a'.repeat(1025), 'bad id!',
  'candidate', 'offer', [], ['x'], {}, { candidate: 'x' }, Object.create(null), new Date(0),
];

/** Replace, delete or add one field somewhere in the payload. */
function mutate(r: () => number): unknown {
  const root = valid() as Record<string, unknown>;
  const data = root.data as Record<string, unknown>;
  const cand = data.candidate as Record<string, unknown>;
  const targets = [root, data, cand];
  const keys = ['to', 'data', 'type', 'candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment', 'extra', '__proto__', 'constructor'];
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const t = targets[Math.floor(r() * targets.length)]!;
    const k = keys[Math.floor(r() * keys.length)]!;
    const op = r();
    if (op < 0.2) delete t[k];
    else if (k === '__proto__') Object.defineProperty(t, k, { value: ODD[Math.floor(r() * ODD.length)], enumerable: true, configurable: true, writable: true });
    else t[k] = ODD[Math.floor(r() * ODD.length)];
  }
  // Some payloads arrive as JSON does (plain objects, own "__proto__" keys), some as built here.
  if (r() < 0.5) {
    try {
      return JSON.parse(JSON.stringify(root)) as unknown;
    } catch {
      return root;
    }
  }
  return r() < 0.1 ? ODD[Math.floor(r() * ODD.length)] : root;
}

describe('isPlainCandidateSignal', () => {
  it('accepts only payloads signalRequest accepts (50,000 mutated payloads)', () => {
    const r = rng(11);
    let fast = 0;
    let zodOnly = 0;
    for (let i = 0; i < 50_000; i++) {
      const v = mutate(r);
      const z = signalRequest.safeParse(v).success;
      if (isPlainCandidateSignal(v)) {
        fast++;
        expect(z, JSON.stringify(v)).toBe(true);
      } else if (z) zodOnly++;
    }
    // Both outcomes occur, so the comparison above is not vacuous.
    expect(fast).toBeGreaterThan(1000);
    expect(zodOnly + fast).toBeLessThan(50_000);
  });

  it('recognises what browsers send: full candidates, end-of-candidates, nulls', () => {
    expect(isPlainCandidateSignal(valid())).toBe(true);
    expect(isPlainCandidateSignal({ to: 'abcdefgh', data: { type: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } } })).toBe(true);
    expect(isPlainCandidateSignal({ to: 'abcdefgh', data: { type: 'candidate', candidate: { candidate: 'x', sdpMid: null, sdpMLineIndex: null } } })).toBe(true);
    // Not candidates: left to zod.
    expect(isPlainCandidateSignal({ to: 'abcdefgh', data: { type: 'offer', sdp: 'v=0' } })).toBe(false);
    expect(isPlainCandidateSignal(JSON.parse('{"to":"abcdefgh","data":{"type":"candidate","candidate":{"candidate":"x"},"__proto__":{}}}'))).toBe(false);
  });
});
