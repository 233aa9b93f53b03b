/**
 * TURN REST API credentials, the scheme coturn's `use-auth-secret` accepts
 * (draft-uberti-behave-turn-rest-00 section 2.2):
 *   username   = "<expiry unix seconds>:<id>"
 *   credential = base64(HMAC-SHA1(secret, username))
 * Any relay that knows the secret (the bundled one or coturn) verifies them without a database.
 */
import { hmac, safeEqual } from './hmac.js';

export interface TurnCredentials {
  username: string;
  credential: string;
  /** Unix seconds after which a relay refuses a new allocation with these credentials. */
  expiresAt: number;
}

export function turnPassword(secret: string, username: string): string {
  return hmac('sha1', secret, username).toString('base64');
}

export function mintTurnCredentials(secret: string, id: string, ttlSeconds: number, nowMs = Date.now()): TurnCredentials {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${id}`;
  return { username, credential: turnPassword(secret, username), expiresAt };
}

/** What a relay does with such credentials: right HMAC and not expired. */
export function verifyTurnCredentials(secret: string, username: string, credential: string, nowMs = Date.now()): boolean {
  const expiry = Number(username.split(':', 1)[0]);
  if (!Number.isInteger(expiry) || expiry * 1000 <= nowMs) return false;
  return safeEqual(turnPassword(secret, username), credential);
}
