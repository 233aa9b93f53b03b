/**
 * Long-term credential mechanism (RFC 8489 section 9.2.4, server side) with TURN REST API
 * passwords. Auth is one function type, as in pion/turn: (request, client) -> user and key, or
 * the error to answer.
 */
import { Attr } from '../stun/constants.js';
import { ErrBadRequest, ErrStaleNonce, ErrUnauthorized, } from '../stun/errors.js';
import { checkIntegrity, longTermKey } from '../stun/integrity.js';
import { getAttr, getString } from '../stun/message.js';
import { restExpiry, restPassword } from './rest.js';
import { isOpaqueStringSafe } from './saslprep.js';
const fail = (error, challenge) => ({ ok: false, error, challenge });
/** Verified keys kept (username -> key), so repeat requests skip the MD5 and REST HMAC. */
const KEY_CACHE_ENTRIES = 4096;
export function longTermAuthenticator(p) {
    const statics = new Map(p.staticUsers.map((u) => [u.username, u.password]));
    const keys = new Map();
    return (msg, clientIp, checkExpiry) => {
        // Step 1: no MESSAGE-INTEGRITY -> 401 with REALM and NONCE.
        if (!getAttr(msg, Attr.MessageIntegrity) && !getAttr(msg, Attr.MessageIntegritySha256)) {
            return fail(ErrUnauthorized, true);
        }
        // Step 2: MESSAGE-INTEGRITY without USERNAME, REALM or NONCE -> 400 (USERHASH unsupported).
        const username = getString(msg, Attr.Username);
        const realm = getString(msg, Attr.Realm);
        const nonce = getString(msg, Attr.Nonce);
        if (username === undefined || realm === undefined || nonce === undefined)
            return fail(ErrBadRequest, false);
        // Step 3: stale or unknown nonce -> 438 with a fresh NONCE.
        if (p.nonces.check(nonce, clientIp) !== 'ok')
            return fail(ErrStaleNonce, true);
        // OpaqueString profile: only strings that SASLprep leaves unchanged (see saslprep.ts).
        if (!isOpaqueStringSafe(username) || !isOpaqueStringSafe(realm))
            return fail(ErrBadRequest, false);
        if (realm !== p.realm)
            return fail(ErrUnauthorized, true);
        // Step 4: unknown username -> 401. Static users first, then the REST scheme.
        const isStatic = statics.has(username);
        if (!isStatic) {
            const expiry = restExpiry(username);
            if (expiry === undefined)
                return fail(ErrUnauthorized, true);
            if (checkExpiry && expiry * 1000 < p.now())
                return fail(ErrUnauthorized, true);
        }
        const cached = keys.get(username);
        const key = cached ?? longTermKey(username, realm, isStatic ? statics.get(username) : restPassword(p.secret, username));
        // Step 5: integrity mismatch -> 401.
        if (!checkIntegrity(msg, key))
            return fail(ErrUnauthorized, true);
        if (!cached) {
            if (keys.size >= KEY_CACHE_ENTRIES)
                keys.delete(keys.keys().next().value);
            keys.set(username, key);
        }
        return { ok: true, username, key };
    };
}
//# sourceMappingURL=long-term.js.map