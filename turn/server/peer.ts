/**
 * Peer address checks shared by CreatePermission, ChannelBind and Send (RFC 8656 sections 9.2,
 * 10.2, 11.2): family must match the relayed address (443), policy must allow it (403).
 */
import { ErrBadRequest, ErrForbidden, ErrPeerAddressFamilyMismatch, type StunError } from '../stun/errors.js';
import type { TransportAddress } from '../stun/address.js';
import type { ServerContext } from './context.js';

export type PeerCheck = { ok: true; local: boolean } | { ok: false; error: StunError };

export function checkPeer(ctx: ServerContext, peer: TransportAddress | null | undefined): PeerCheck {
  if (!peer) return { ok: false, error: ErrBadRequest };
  if (peer.family !== ctx.relayFamily) return { ok: false, error: ErrPeerAddressFamilyMismatch };
  const v = ctx.filter.check(peer.address);
  if (v === 'denied') {
    ctx.stats.forbidden++;
    return { ok: false, error: ErrForbidden };
  }
  return { ok: true, local: v === 'relay' };
}
