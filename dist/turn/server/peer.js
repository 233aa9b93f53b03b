/**
 * Peer address checks shared by CreatePermission, ChannelBind and Send (RFC 8656 sections 9.2,
 * 10.2, 11.2): policy must allow it (403), family must match the relayed address (443).
 */
import { ErrBadRequest, ErrForbidden, ErrPeerAddressFamilyMismatch } from '../stun/errors.js';
export function checkPeer(ctx, peer) {
    if (!peer)
        return { ok: false, error: ErrBadRequest };
    // Policy first: a forbidden address is 403 in every spelling (e.g. ::ffff:127.0.0.1 on an IPv4
    // relay is 403, not 443), so the answer never hints that another spelling might pass.
    const v = ctx.filter.check(peer.address);
    if (v === 'denied') {
        ctx.stats.forbidden++;
        return { ok: false, error: ErrForbidden };
    }
    if (peer.family !== ctx.relayFamily)
        return { ok: false, error: ErrPeerAddressFamilyMismatch };
    return { ok: true, local: v === 'relay' };
}
//# sourceMappingURL=peer.js.map