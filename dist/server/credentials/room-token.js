/**
 * Room tokens, required by `join` when ROOM_SECRET is set:
 *   token = "<expiry unix seconds>.<base64url(HMAC-SHA256(ROOM_SECRET, "room:<room>:<expiry>"))>"
 * A backend can mint them itself with the same formula; the app gets them from POST /api/rooms,
 * which only mints tokens for new random room names (so a token can't be had for a known room).
 */
import { hmac, safeEqual } from './hmac.js';
function sign(secret, room, expiry) {
    return hmac('sha256', secret, `room:${room}:${expiry}`).toString('base64url');
}
export function mintRoomToken(secret, room, ttlSeconds, nowMs = Date.now()) {
    const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
    return { token: `${expiresAt}.${sign(secret, room, expiresAt)}`, expiresAt };
}
export function verifyRoomToken(secret, room, token, nowMs = Date.now()) {
    if (!token)
        return { ok: false, reason: 'this room needs a token' };
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m)
        return { ok: false, reason: 'malformed room token' };
    const expiry = Number(m[1]);
    if (expiry * 1000 <= nowMs)
        return { ok: false, reason: 'room token expired' };
    if (!safeEqual(sign(secret, room, expiry), m[2]))
        return { ok: false, reason: 'room token is not valid for this room' };
    return { ok: true };
}
//# sourceMappingURL=room-token.js.map