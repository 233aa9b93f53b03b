/**
 * Stateless nonces (RFC 8489 section 9.2: the server may encode anything it wants in a nonce).
 * A nonce is `<issued-at hex>` + HMAC-SHA256(key, issued-at || client ip) truncated, base64url:
 * no map entry or timer per nonce, so unauthenticated requests cost no memory. A nonce older than
 * `ttlMs` is stale (438); one whose MAC does not match (forged, or from another client address) is
 * treated the same way, so the client gets a fresh one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
export class NonceFactory {
    ttlMs;
    now;
    key;
    constructor(ttlMs, now, key) {
        this.ttlMs = ttlMs;
        this.now = now;
        this.key = key ?? randomBytes(32);
    }
    mac(ts, ip) {
        return createHmac('sha256', this.key).update(ts).update('|').update(ip).digest('base64url').slice(0, 22);
    }
    issue(ip) {
        const ts = Math.floor(this.now()).toString(16).padStart(12, '0');
        return ts + this.mac(ts, ip);
    }
    /** 'ok', or 'stale' for an expired or unrecognised nonce. */
    check(nonce, ip) {
        if (nonce.length !== 34)
            return 'stale';
        const ts = nonce.slice(0, 12);
        if (!/^[0-9a-f]{12}$/.test(ts))
            return 'stale';
        const want = Buffer.from(this.mac(ts, ip));
        const got = Buffer.from(nonce.slice(12));
        if (got.length !== want.length || !timingSafeEqual(got, want))
            return 'stale';
        const age = this.now() - parseInt(ts, 16);
        return age >= 0 && age <= this.ttlMs ? 'ok' : 'stale';
    }
}
//# sourceMappingURL=nonce.js.map