/**
 * ChannelData from the client (RFC 8656 section 12.5): the hot path. Look up the allocation by
 * 5-tuple key, the channel by number, check the permission, relay. No decoding beyond the 4-byte
 * header; malformed or unbound data is dropped.
 */
import type { AllocationManager } from '../allocation/manager.js';

export function handleChannelData(allocations: AllocationManager, buf: Buffer, connKey: string): void {
  if (buf.length < 4) return;
  const a = allocations.get(connKey);
  if (!a) return;
  const ch = a.channels.get(buf.readUInt16BE(0));
  if (!ch) return;
  const len = buf.readUInt16BE(2);
  // Over UDP the datagram may carry padding after the data; a length past the end is malformed.
  if (4 + len > buf.length) return;
  if (!a.permissions.has(ch.peerIp)) return;
  a.toPeer(buf, 4, len, ch.peerIp, ch.peerPort, ch.local);
}
