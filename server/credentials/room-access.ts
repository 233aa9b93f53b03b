/**
 * Which room token a join (or an HTTP request for ICE servers) needs, and checking it: the one
 * entry point for both token formats.
 *
 * Tokens are required when ROOM_SECRET or a ROOM_JWT_* key is set. A token shaped like a JWT
 * (three base64url parts) is verified as a JWT (room-jwt.ts), anything else as the HMAC format of
 * room-token.ts; each only when its keys are configured, so that a server with only one of them
 * says which format it expected.
 */
import type { Config } from '../config.js';
import { looksLikeJwt, verifyRoomJwt } from './room-jwt.js';
import { verifyRoomToken } from './room-token.js';

/** The settings room access depends on. */
export type RoomAccessConfig = Pick<Config, 'roomSecret' | 'roomJwt'>;

/**
 * A token's verdict. Granted: `name` is the display name the token sets (a JWT's `name` claim),
 * `claims` a JWT's verified claims. Refused: `reason` is the message for the client.
 */
export type RoomAccess = { ok: true; name?: string; claims?: Record<string, unknown> } | { ok: false; reason: string };

/** Whether joining (and ICE servers over HTTP) needs a room token. */
export const roomTokensRequired = (config: RoomAccessConfig): boolean => Boolean(config.roomSecret || config.roomJwt);

/**
 * Checks `token` for `room`: granted without tokens configured, else per format. Never throws
 * (every refusal is a reason); `nowMs` is the current time (tests move it).
 */
export async function verifyRoomAccess(config: RoomAccessConfig, room: string, token: string | undefined, nowMs = Date.now()): Promise<RoomAccess> {
  if (!roomTokensRequired(config)) return { ok: true };
  if (!token) return { ok: false, reason: 'this room needs a token' };
  if (looksLikeJwt(token)) {
    if (!config.roomJwt) return { ok: false, reason: 'this server does not accept JWT room tokens' };
    const check = await verifyRoomJwt(config.roomJwt, room, token, nowMs);
    return check.ok ? { ok: true, claims: check.claims, ...(check.name === undefined ? {} : { name: check.name }) } : check;
  }
  if (!config.roomSecret) return { ok: false, reason: 'malformed room token: expected a JWT' };
  return verifyRoomToken(config.roomSecret, room, token, nowMs);
}
