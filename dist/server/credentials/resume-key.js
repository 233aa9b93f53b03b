/**
 * Resume keys let a client keep its peer id across a signaling reconnect or a server restart:
 * key = base64url(HMAC-SHA256(SESSION_SECRET, "peer:<id>")). Nodes that share SESSION_SECRET
 * (a cluster, or one node across restarts) accept each other's keys.
 */
import { hmac, safeEqual } from './hmac.js';
export function resumeKey(secret, peerId) {
    return hmac('sha256', secret, `peer:${peerId}`).toString('base64url');
}
export function verifyResumeKey(secret, peerId, key) {
    return safeEqual(resumeKey(secret, peerId), key);
}
//# sourceMappingURL=resume-key.js.map