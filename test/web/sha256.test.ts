import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from '../../web/src/core/sha256.js';

const ref = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('incremental SHA-256', () => {
  it('matches node:crypto for every length around the block and padding boundaries', () => {
    for (let n = 0; n <= 260; n++) {
      const b = randomBytes(n);
      expect(sha256Hex(b), `length ${n}`).toBe(ref(b));
    }
  });

  it('known vectors', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives the same digest however the input is split', () => {
    const data = randomBytes(600 * 1024 + 17);
    const want = ref(data);
    for (const sizes of [[1], [63], [64], [65], [1000, 7], [65536], [1 << 20]]) {
      const h = new Sha256();
      let off = 0;
      let i = 0;
      while (off < data.length) {
        const n = sizes[i++ % sizes.length]!;
        h.update(data.subarray(off, off + n));
        off += n;
      }
      expect(h.hex(), `pieces of ${sizes.join('/')}`).toBe(want);
    }
  });

  it('refuses updates after the digest', () => {
    const h = new Sha256().update(new Uint8Array([1]));
    h.digest();
    expect(() => h.update(new Uint8Array([2]))).toThrow(/after digest/);
    expect(() => h.digest()).toThrow(/twice/);
  });
});
