import { restExpiry } from '../../../turn/auth/rest-username.js';
/** How long a list whose credentials carry no expiry (static TURN users, STUN only) is reused. */
export const NO_EXPIRY_REUSE_MS = 60_000;
/** The expiry (ms) of a TURN REST username (`<unix expiry seconds>:<id>`), or null. */
export function restExpiryMs(username) {
    const s = username === undefined ? undefined : restExpiry(username);
    return s === undefined ? null : s * 1000;
}
/**
 * Until when servers received at `at` may be reused. A REST credential is reused for the first half
 * of the lifetime it had when it arrived (expiry - at, as this client's clock sees it): at the
 * server's default TTL (1 h) that is 30 min, still leaving half the lifetime for the TURN
 * allocation, and a client clock off by less than the TTL cannot make us reuse an expired one
 * (the skew inflates or shrinks the measured lifetime and the remaining half alike).
 */
export function reusableUntil(servers, at) {
    let until = Infinity;
    for (const s of servers) {
        if (s.username === undefined)
            continue; // STUN: nothing expires
        const expiry = restExpiryMs(s.username);
        until = Math.min(until, expiry === null ? at + NO_EXPIRY_REUSE_MS : at + (expiry - at) / 2);
    }
    return until === Infinity ? at + NO_EXPIRY_REUSE_MS : until;
}
export class IceCache {
    servers = [];
    until = 0;
    set(servers, now = Date.now()) {
        this.servers = servers;
        this.until = reusableUntil(servers, now);
    }
    /** The cached servers if a new connection may still use them, else null (fetch fresh ones). */
    reusable(now = Date.now()) {
        return now < this.until ? this.servers : null;
    }
}
//# sourceMappingURL=ice-cache.js.map