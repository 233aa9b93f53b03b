/** CreatePermission (RFC 8656 section 9.2). */
import { Attr } from '../stun/constants.js';
import { ErrAllocationMismatch, ErrBadRequest, ErrInsufficientCapacity } from '../stun/errors.js';
import { decodeAddress } from '../stun/address.js';
import type { Request, ServerContext } from './context.js';
import { checkPeer } from './peer.js';
import { failure, success } from './respond.js';

export function handleCreatePermission(ctx: ServerContext, req: Request): Buffer {
  const a = ctx.allocations.get(req.conn.key);
  if (!a) return failure(ctx, req, ErrAllocationMismatch);
  const { msg } = req;
  // 1. At least one XOR-PEER-ADDRESS, each well formed (400), of the allocation's family (443),
  //    allowed by policy (403). All are checked before any is installed.
  const ips: string[] = [];
  for (const at of msg.attrs) {
    if (at.type !== Attr.XorPeerAddress) continue;
    const peer = decodeAddress(msg.buf, at.offset, at.length, msg.tid);
    const c = checkPeer(ctx, a, peer);
    if (!c.ok) return failure(ctx, req, c.error);
    ips.push(peer!.address);
  }
  if (ips.length === 0) return failure(ctx, req, ErrBadRequest);
  // Limit per allocation (TURN_MAX_PERMISSIONS): 508, the section's "resource limitations".
  const fresh = new Set(ips.filter((ip) => !a.permissions.has(ip)));
  if (a.permissions.size + fresh.size > ctx.config.maxPermissions) return failure(ctx, req, ErrInsufficientCapacity);
  // 2. Install or refresh each permission for 300 s.
  const exp = ctx.opts.now() + ctx.opts.permissionLifetimeSeconds * 1000;
  for (const ip of ips) a.permissions.set(ip, exp);
  // Answer first, then deliver what the allocation held for these peers (Allocation.hold).
  const res = success(ctx, req);
  queueMicrotask(() => {
    for (const ip of ips) a.permitted(ip);
  });
  return res;
}
