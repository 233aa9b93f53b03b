/**
 * TURN REST API credentials, the scheme coturn's `use-auth-secret` accepts
 * (draft-uberti-behave-turn-rest-00 section 2.2):
 *   username   = "<expiry unix seconds>:<id>"
 *   credential = base64(HMAC-SHA1(secret, username))
 * Any relay that knows the secret (the bundled one or coturn) verifies them without a database.
 */
import { hmac, safeEqual } from './hmac.js';
export function turnPassword(secret, username) {
    return hmac('sha1', secret, username).toString('base64');
}
export function mintTurnCredentials(secret, id, ttlSeconds, nowMs = Date.now()) {
    const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
    const username = `${expiresAt}:${id}`;
    return { username, credential: turnPassword(secret, username), expiresAt };
}
/** What a relay does with such credentials: right HMAC and not expired. */
export function verifyTurnCredentials(secret, username, credential, nowMs = Date.now()) {
    const expiry = Number(username.split(':', 1)[0]);
    if (!Number.isInteger(expiry) || expiry * 1000 <= nowMs)
        return false;
    return safeEqual(turnPassword(secret, username), credential);
}
//# sourceMappingURL=turn-rest.js.map