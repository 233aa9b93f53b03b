import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmac(alg: 'sha1' | 'sha256', secret: string, data: string): Buffer {
  return createHmac(alg, secret).update(data).digest();
}

/** Constant-time string comparison (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
