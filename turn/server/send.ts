/**
 * Send indication (RFC 8656 section 10.2). Indications get no answer: every failure (no
 * allocation, missing attributes, family mismatch, forbidden peer, no permission) drops the data.
 */
import { Attr } from '../stun/constants.js';
import { getAttr, getXorAddress, type StunMessage } from '../stun/message.js';
import type { ClientConn } from '../transport/conn.js';
import type { ServerContext } from './context.js';
import { checkPeer } from './peer.js';

export function handleSend(ctx: ServerContext, msg: StunMessage, conn: ClientConn): void {
  const a = ctx.allocations.get(conn.key);
  if (!a) return;
  const peer = getXorAddress(msg, Attr.XorPeerAddress);
  const data = getAttr(msg, Attr.Data);
  if (!peer || !data) return;
  const c = checkPeer(ctx, a, peer);
  if (!c.ok) return;
  if (!a.permissions.has(peer.address)) return;
  a.toPeer(msg.buf, data.offset, data.length, peer.address, peer.port, c.local, peer.family);
}
