/**
 * The Data indication carrying `len` bytes from the peer, or null when no STUN message can: its
 * length field is 16 bits (RFC 8489 section 5), and the body carries XOR-PEER-ADDRESS and the
 * padded DATA attribute. A UDP peer cannot send that much, but a TCP client's ChannelData (up to
 * 65,535 bytes) relayed inside the process to an allocation with no channel back can.
 */
export declare function encodeDataIndication(peerIp: string, peerPort: number, data: Buffer, off: number, len: number): Buffer | null;
