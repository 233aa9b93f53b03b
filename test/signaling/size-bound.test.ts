/**
 * The cheap JSON size bound that lets `signal` skip serialising every payload: it may say "not
 * proven" for a payload that fits, but it must never clear one that does not.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../support/rng.js';
import { jsonBytesAtMost, signalTooLarge } from '../../server/signaling/handlers/signal.js';

const exact = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '');


const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', '\u001f', 'é', '€', '😀', '\ud800', '\u2028'];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 7));
  switch (k) {
    case 0:
      return Array.from({ length: Math.floor(r() * 40) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('');
    case 1:
      return [0, -1.2345678901234567e-308, 1e21, 42, NaN, Infinity, -0][Math.floor(r() * 7)];
    case 2:
      return r() < 0.5;
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[String(randomValue(r, 9)).slice(0, 8) || 'k'] = randomValue(r, depth + 1);
      return o;
    }
  }
}

describe('jsonBytesAtMost', () => {
  it('never clears a value whose JSON is over the limit (20,000 random values)', () => {
    const r = rng(7);
    let cleared = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = randomValue(r, 0);
      const size = exact(v);
      for (const limit of [size - 1, size, size * 6 + 64]) {
        if (jsonBytesAtMost(v, limit)) {
          cleared++;
          expect(size, JSON.stringify(v)).toBeLessThanOrEqual(limit);
        }
      }
    }
    // The bound is useful, not just safe: generous limits are cleared without serialising.
    expect(cleared).toBeGreaterThan(15_000);
  });

  it('clears a real ICE candidate far below the default 64 KiB limit', () => {
    const data = { type: 'candidate', candidate: { candidate: 'candidate:842163049 1 udp 1677729535 198.51.100.7 49152 typ srflx raddr 10.0.0.2 rport 49152', sdpMid: '0', sdpMLineIndex: 0 } };
    expect(jsonBytesAtMost(data, 64 * 1024)).toBe(true);
  });

  it('takes the exact path for deep, wide or unusual values', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(jsonBytesAtMost(deep, 1 << 20)).toBe(false);
    expect(jsonBytesAtMost(Array.from({ length: 300 }, () => 1), 1 << 20)).toBe(false);
    expect(jsonBytesAtMost({ toJSON: () => 'x'.repeat(1e6) }, 1 << 20)).toBe(false); // a function value: exact path
    expect(jsonBytesAtMost(new Date(0), 1 << 20)).toBe(false);
  });
});

describe('signalTooLarge', () => {
  it('reports the exact size when the bound cannot clear the payload', () => {
    const data = { type: 'offer', sdp: 'v'.repeat(5000) };
    expect(signalTooLarge({ to: 'x', data }, 4096)).toBe(`signal data is ${exact(data)} bytes; the limit is 4096`);
    // 6 x 600 + overhead is over 4096, so the bound says "not proven" and the exact size (~620 B) clears it.
    expect(signalTooLarge({ to: 'x', data: { type: 'offer', sdp: 'v'.repeat(600) } }, 4096)).toBeUndefined();
  });
});
