/**
 * Peer address checks shared by CreatePermission, ChannelBind and Send (RFC 8656 sections 9.2,
 * 10.2, 11.2): policy must allow it (403), its family must be one the allocation has a relayed
 * address of (443; a dual allocation takes both).
 */
import { ErrBadRequest, ErrForbidden, ErrPeerAddressFamilyMismatch, type StunError } from '../stun/errors.js';
import type { TransportAddress } from '../stun/address.js';
import type { Allocation } from '../allocation/allocation.js';
import type { ServerContext } from './context.js';

export type PeerCheck = { ok: true; local: boolean } | { ok: false; error: StunError };

export function checkPeer(ctx: ServerContext, a: Allocation, peer: TransportAddress | null | undefined): PeerCheck {
  if (!peer) return { ok: false, error: ErrBadRequest };
  // Policy first: a forbidden address is 403 in every spelling (e.g. ::ffff:127.0.0.1 on an IPv4
  // relay is 403, not 443), so the answer never hints that another spelling might pass.
  const v = ctx.filter.check(peer.address);
  if (v === 'denied') {
    ctx.stats.forbidden++;
    return { ok: false, error: ErrForbidden };
  }
  if (!a.leg(peer.family)) return { ok: false, error: ErrPeerAddressFamilyMismatch };
  return { ok: true, local: v === 'relay' };
}
