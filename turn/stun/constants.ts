/**
 * STUN/TURN numbers: message methods and classes, attribute types (RFC 8489 section 18, RFC 8656
 * section 18), and the fixed header layout (RFC 8489 section 5).
 */

/** RFC 8489 section 5: the fixed value in bytes 4..7 of every message. */
export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;
/** RFC 8489 section 14.7: FINGERPRINT is CRC-32 XOR this constant. */
export const FINGERPRINT_XOR = 0x5354554e;

/** Methods (RFC 8489 section 18.2, RFC 8656 section 17). */
export const Method = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

/** Classes (RFC 8489 section 5: the C1 and C0 bits). */
export const Class = {
  Request: 0b00,
  Indication: 0b01,
  Success: 0b10,
  Error: 0b11,
} as const;

/** Attribute types (RFC 8489 section 18.3, RFC 8656 section 18, RFC 5766 legacy ones). */
export const Attr = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  ReservationToken: 0x0022,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  PasswordAlgorithms: 0x8002,
  AlternateDomain: 0x8003,
  Software: 0x8022,
  AlternateServer: 0x8023,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
  ResponseOrigin: 0x802b,
  OtherAddress: 0x802c,
  AdditionalAddressFamily: 0x8000,
  /**
   * ADDITIONAL-ADDRESS-FAMILY as coturn's clients (turnutils_uclient 4.6) still send it: the
   * codepoint of the drafts before RFC 8656, accepted as the same attribute for interop.
   */
  AdditionalAddressFamilyDraft: 0x8032,
  AddressErrorCode: 0x8001,
  Icmp: 0x8004,
} as const;

/**
 * Comprehension-required attributes (type < 0x8000) this server understands. Any other one in a
 * request is answered with 420 (RFC 8489 section 7.3.1). ICE attributes are listed because a
 * Binding request from an ICE agent may carry them and a Binding answer does not depend on them.
 */
export const KNOWN_REQUIRED_ATTRIBUTES: ReadonlySet<number> = new Set([
  Attr.MappedAddress,
  Attr.Username,
  Attr.MessageIntegrity,
  Attr.ErrorCode,
  Attr.UnknownAttributes,
  Attr.ChannelNumber,
  Attr.Lifetime,
  Attr.XorPeerAddress,
  Attr.Data,
  Attr.Realm,
  Attr.Nonce,
  Attr.XorRelayedAddress,
  Attr.RequestedAddressFamily,
  Attr.EvenPort,
  Attr.RequestedTransport,
  Attr.DontFragment,
  Attr.MessageIntegritySha256,
  Attr.PasswordAlgorithm,
  Attr.Userhash,
  Attr.XorMappedAddress,
  Attr.ReservationToken,
  Attr.Priority,
  Attr.UseCandidate,
]);

/** RFC 8656 section 14: REQUESTED-TRANSPORT protocol numbers. */
export const TRANSPORT_UDP = 17;
export const TRANSPORT_TCP = 6;

/** RFC 8656 section 18.13 / 18.1: address family codes. */
export const FAMILY_IPV4 = 0x01;
export const FAMILY_IPV6 = 0x02;

/** RFC 5766 section 11 allowed 0x4000-0x7FFF; RFC 8656 section 12 narrowed it to 0x4000-0x4FFF. */
export const CHANNEL_MIN = 0x4000;
export const CHANNEL_MAX = 0x7fff;

/** Build the 14-bit message type from method and class (RFC 8489 section 5, figure 3). */
export function messageType(method: number, cls: number): number {
  return (
    (method & 0x000f) |
    ((method & 0x0070) << 1) |
    ((method & 0x0f80) << 2) |
    ((cls & 0b01) << 4) |
    ((cls & 0b10) << 7)
  );
}

export function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

export function classOf(type: number): number {
  return ((type >> 4) & 0b01) | ((type >> 7) & 0b10);
}
