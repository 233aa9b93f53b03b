/**
 * ChannelData from the client (RFC 8656 section 12.5): the hot path. Look up the allocation by
 * 5-tuple (numeric key for UDP/IPv4), the channel by number, check the permission, relay. No decoding beyond the 4-byte
 * header; malformed or unbound data is dropped.
 */
import type { Allocation } from '../allocation/allocation.js';

/** `a`: the allocation of the sending 5-tuple (looked up by the transport), if any. */
export function handleChannelData(a: Allocation | undefined, buf: Buffer): void {
  if (!a || buf.length < 4) return;
  const ch = a.channels.get(buf.readUInt16BE(0));
  if (!ch) return;
  const len = buf.readUInt16BE(2);
  // Over UDP the datagram may carry padding after the data; a length past the end is malformed.
  if (4 + len > buf.length) return;
  if (!a.permissions.has(ch.peerIp)) return;
  a.toPeer(buf, 4, len, ch.peerIp, ch.peerPort, ch.local, ch.family);
}
