/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest, as coturn's `use-auth-secret`):
 * username = `<expiry unix seconds>:<id>` (or just `<expiry>`), password =
 * base64(HMAC-SHA1(secret, username)). The same secret serves this relay and coturn.
 */
import { createHmac } from 'node:crypto';
export { restExpiry } from './rest-username.js';
export function restPassword(secret, username) {
    return createHmac('sha1', secret).update(username).digest('base64');
}
/** Credentials valid for `ttlSeconds` from `nowMs`. */
export function restCredentials(secret, id, ttlSeconds, nowMs = Date.now()) {
    const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${id}`;
    return { username, password: restPassword(secret, username) };
}
//# sourceMappingURL=rest.js.map