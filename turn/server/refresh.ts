/** Refresh (RFC 8656 section 7.3). */
import { Attr, FAMILY_IPV4, FAMILY_IPV6 } from '../stun/constants.js';
import { ErrAllocationMismatch, ErrPeerAddressFamilyMismatch } from '../stun/errors.js';
import { getAttr } from '../stun/message.js';
import type { Request, ServerContext } from './context.js';
import { desiredLifetime } from './lifetime.js';
import { failure, success } from './respond.js';

export function handleRefresh(ctx: ServerContext, req: Request): Buffer {
  const a = ctx.allocations.get(req.conn.key);
  // 1. No allocation for the 5-tuple -> 437.
  if (!a) return failure(ctx, req, ErrAllocationMismatch);
  // 2. REQUESTED-ADDRESS-FAMILY of a family the allocation has no relayed address of -> 443. A
  //    dual allocation has one lifetime: a Refresh (naming either family or none) refreshes both.
  const fam = getAttr(req.msg, Attr.RequestedAddressFamily);
  if (fam) {
    const f = fam.length === 4 ? req.msg.buf[fam.offset] : -1;
    const family = f === FAMILY_IPV4 ? 4 : f === FAMILY_IPV6 ? 6 : undefined;
    if (!family || !a.leg(family)) return failure(ctx, req, ErrPeerAddressFamilyMismatch);
  }
  // 3. Desired lifetime 0 deletes the allocation; otherwise it restarts the timer.
  const lifetime = desiredLifetime(req.msg, ctx.config);
  if (lifetime === 0) ctx.allocations.delete(a, 'refresh');
  else a.expiresAt = ctx.opts.now() + lifetime * 1000;
  return success(ctx, req, (b) => b.addUint32(Attr.Lifetime, lifetime));
}
