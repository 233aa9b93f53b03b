/**
 * ChannelData from the client (RFC 8656 section 12.5): the hot path. Look up the allocation by
 * 5-tuple (numeric key for UDP/IPv4), the channel by number, check the permission, relay. No decoding beyond the 4-byte
 * header; malformed or unbound data is dropped.
 */
import type { Allocation } from '../allocation/allocation.js';
/** `a`: the allocation of the sending 5-tuple (looked up by the transport), if any. */
export declare function handleChannelData(a: Allocation | undefined, buf: Buffer): void;
