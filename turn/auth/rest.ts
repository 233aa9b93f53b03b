/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest, as coturn's `use-auth-secret`):
 * username = `<expiry unix seconds>:<id>` (or just `<expiry>`), password =
 * base64(HMAC-SHA1(secret, username)). The same secret serves this relay and coturn.
 */
import { createHmac } from 'node:crypto';

export { restExpiry } from './rest-username.js';

/** The TURN REST password for `username`: base64(HMAC-SHA1(secret, username)). */
export function restPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Credentials valid for `ttlSeconds` from `nowMs` (ms, default now): username `<expiry unix seconds>:<id>`. */
export function restCredentials(
  secret: string,
  id: string,
  ttlSeconds: number,
  nowMs: number = Date.now(),
): { username: string; password: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${id}`;
  return { username, password: restPassword(secret, username) };
}
