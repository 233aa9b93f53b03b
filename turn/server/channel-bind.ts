/** ChannelBind (RFC 8656 section 11.2). */
import { Attr } from '../stun/constants.js';
import { isValidChannel } from '../stun/channel-data.js';
import { ErrAllocationMismatch, ErrBadRequest, ErrInsufficientCapacity } from '../stun/errors.js';
import { getAttr, getXorAddress } from '../stun/message.js';
import { addressKey } from '../stun/address.js';
import type { Request, ServerContext } from './context.js';
import { checkPeer } from './peer.js';
import { failure, success } from './respond.js';

export function handleChannelBind(ctx: ServerContext, req: Request): Buffer {
  const a = ctx.allocations.get(req.conn.key);
  if (!a) return failure(ctx, req, ErrAllocationMismatch);
  const { msg } = req;
  const cn = getAttr(msg, Attr.ChannelNumber);
  const peer = getXorAddress(msg, Attr.XorPeerAddress);
  // 1. CHANNEL-NUMBER and XOR-PEER-ADDRESS present; the number in 0x4000-0x7FFF (RFC 5766 range,
  //    accepted for interop with clients that use numbers above 0x4FFF) -> else 400.
  if (!cn || cn.length !== 4 || !peer) return failure(ctx, req, ErrBadRequest);
  const number = msg.buf.readUInt16BE(cn.offset);
  if (!isValidChannel(number)) return failure(ctx, req, ErrBadRequest);
  // Peer family (443) and policy (403).
  const c = checkPeer(ctx, a, peer);
  if (!c.ok) return failure(ctx, req, c.error);
  const peerKey = addressKey(peer.address, peer.port);
  // 2. The channel is bound to another peer, or 3. the peer to another channel -> 400.
  const byNumber = a.channels.get(number);
  if (byNumber && byNumber.peerKey !== peerKey) return failure(ctx, req, ErrBadRequest);
  const byPeer = a.channelByPeer.get(peerKey);
  if (byPeer && byPeer.number !== number) return failure(ctx, req, ErrBadRequest);
  // Limits per allocation (TURN_MAX_CHANNELS, TURN_MAX_PERMISSIONS) -> 508.
  if (!byNumber && a.channels.size >= ctx.config.maxChannels) return failure(ctx, req, ErrInsufficientCapacity);
  if (!a.permissions.has(peer.address) && a.permissions.size >= ctx.config.maxPermissions) {
    return failure(ctx, req, ErrInsufficientCapacity);
  }
  // 4. Bind or refresh the channel (600 s) and install or refresh the permission (300 s).
  const now = ctx.opts.now();
  const expiresAt = now + ctx.opts.channelLifetimeSeconds * 1000;
  if (byNumber) byNumber.expiresAt = expiresAt;
  else {
    const ch = { number, peerIp: peer.address, peerPort: peer.port, peerKey, expiresAt, local: c.local, family: peer.family };
    a.channels.set(number, ch);
    a.channelByPeer.set(peerKey, ch);
  }
  a.permissions.set(peer.address, now + ctx.opts.permissionLifetimeSeconds * 1000);
  const res = success(ctx, req);
  queueMicrotask(() => a.permitted(peer.address));
  return res;
}
