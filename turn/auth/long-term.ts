/**
 * Long-term credential mechanism (RFC 8489 section 9.2.4, server side) with TURN REST API
 * passwords. Auth is one function type, as in pion/turn: (request, client) -> user and key, or
 * the error to answer.
 */
import { Attr } from '../stun/constants.js';
import {
  ErrBadRequest,
  ErrStaleNonce,
  ErrUnauthorized,
  type StunError,
} from '../stun/errors.js';
import { checkIntegrity, longTermKey } from '../stun/integrity.js';
import { getAttr, getString, type StunMessage } from '../stun/message.js';
import type { NonceFactory } from './nonce.js';
import { restExpiry, restPassword } from './rest.js';
import { isOpaqueStringSafe } from './saslprep.js';

export type AuthResult =
  | { ok: true; username: string; key: Buffer }
  /** `challenge`: the error response carries REALM and a fresh NONCE (401, 438). */
  | { ok: false; error: StunError; challenge: boolean };

export type Authenticator = (msg: StunMessage, clientIp: string, checkExpiry: boolean) => AuthResult;

export interface LongTermAuthParams {
  realm: string;
  /** REST secrets, all accepted (a rotation has more than one; the current one first). */
  secrets: readonly string[];
  staticUsers: ReadonlyArray<{ username: string; password: string }>;
  nonces: NonceFactory;
  /** Wall clock, ms (unix time): REST usernames carry a unix expiry. */
  now: () => number;
}

const fail = (error: StunError, challenge: boolean): AuthResult => ({ ok: false, error, challenge });

/** Verified keys kept (username -> key), so repeat requests skip the MD5 and REST HMAC. */
const KEY_CACHE_ENTRIES = 4096;

const verified = (msg: StunMessage, key: Buffer): Buffer | undefined => (checkIntegrity(msg, key) ? key : undefined);

export function longTermAuthenticator(p: LongTermAuthParams): Authenticator {
  const statics = new Map(p.staticUsers.map((u) => [u.username, u.password]));
  const keys = new Map<string, Buffer>();
  return (msg, clientIp, checkExpiry) => {
    // Step 1: no MESSAGE-INTEGRITY -> 401 with REALM and NONCE.
    if (!getAttr(msg, Attr.MessageIntegrity) && !getAttr(msg, Attr.MessageIntegritySha256)) {
      return fail(ErrUnauthorized, true);
    }
    // Step 2: MESSAGE-INTEGRITY without USERNAME, REALM or NONCE -> 400 (USERHASH unsupported).
    const username = getString(msg, Attr.Username);
    const realm = getString(msg, Attr.Realm);
    const nonce = getString(msg, Attr.Nonce);
    if (username === undefined || realm === undefined || nonce === undefined) return fail(ErrBadRequest, false);
    // Step 3: stale or unknown nonce -> 438 with a fresh NONCE.
    if (p.nonces.check(nonce, clientIp) !== 'ok') return fail(ErrStaleNonce, true);
    // OpaqueString profile: only strings that SASLprep leaves unchanged (see saslprep.ts).
    if (!isOpaqueStringSafe(username) || !isOpaqueStringSafe(realm)) return fail(ErrBadRequest, false);
    if (realm !== p.realm) return fail(ErrUnauthorized, true);
    // Step 4: unknown username -> 401. Static users first, then the REST scheme.
    const isStatic = statics.has(username);
    if (!isStatic) {
      const expiry = restExpiry(username);
      if (expiry === undefined) return fail(ErrUnauthorized, true);
      if (checkExpiry && expiry * 1000 < p.now()) return fail(ErrUnauthorized, true);
    }
    const cached = keys.get(username);
    let key: Buffer | undefined;
    if (cached) key = checkIntegrity(msg, cached) ? cached : undefined;
    else if (isStatic) key = verified(msg, longTermKey(username, realm, statics.get(username)!));
    else {
      // Secret rotation: the password is the one any accepted secret gives (current one first).
      for (const secret of p.secrets) if ((key = verified(msg, longTermKey(username, realm, restPassword(secret, username))))) break;
    }
    // Step 5: integrity mismatch -> 401.
    if (!key) return fail(ErrUnauthorized, true);
    if (!cached) {
      if (keys.size >= KEY_CACHE_ENTRIES) keys.delete(keys.keys().next().value!);
      keys.set(username, key);
    }
    return { ok: true, username, key };
  };
}
