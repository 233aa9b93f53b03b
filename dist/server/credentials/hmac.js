import { createHmac, timingSafeEqual } from 'node:crypto';
export function hmac(alg, secret, data) {
    return createHmac(alg, secret).update(data).digest();
}
/** Constant-time string comparison (length leaks, content does not). */
export function safeEqual(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}
//# sourceMappingURL=hmac.js.map