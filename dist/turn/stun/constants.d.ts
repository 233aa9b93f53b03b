/**
 * STUN/TURN numbers: message methods and classes, attribute types (RFC 8489 section 18, RFC 8656
 * section 18), and the fixed header layout (RFC 8489 section 5).
 */
/** RFC 8489 section 5: the fixed value in bytes 4..7 of every message. */
export declare const MAGIC_COOKIE = 554869826;
export declare const HEADER_LENGTH = 20;
/** RFC 8489 section 14.7: FINGERPRINT is CRC-32 XOR this constant. */
export declare const FINGERPRINT_XOR = 1398035790;
/** Methods (RFC 8489 section 18.2, RFC 8656 section 17). */
export declare const Method: {
    readonly Binding: 1;
    readonly Allocate: 3;
    readonly Refresh: 4;
    readonly Send: 6;
    readonly Data: 7;
    readonly CreatePermission: 8;
    readonly ChannelBind: 9;
};
/** Classes (RFC 8489 section 5: the C1 and C0 bits). */
export declare const Class: {
    readonly Request: 0;
    readonly Indication: 1;
    readonly Success: 2;
    readonly Error: 3;
};
/** Attribute types (RFC 8489 section 18.3, RFC 8656 section 18, RFC 5766 legacy ones). */
export declare const Attr: {
    readonly MappedAddress: 1;
    readonly Username: 6;
    readonly MessageIntegrity: 8;
    readonly ErrorCode: 9;
    readonly UnknownAttributes: 10;
    readonly ChannelNumber: 12;
    readonly Lifetime: 13;
    readonly XorPeerAddress: 18;
    readonly Data: 19;
    readonly Realm: 20;
    readonly Nonce: 21;
    readonly XorRelayedAddress: 22;
    readonly RequestedAddressFamily: 23;
    readonly EvenPort: 24;
    readonly RequestedTransport: 25;
    readonly DontFragment: 26;
    readonly MessageIntegritySha256: 28;
    readonly PasswordAlgorithm: 29;
    readonly Userhash: 30;
    readonly XorMappedAddress: 32;
    readonly ReservationToken: 34;
    readonly Priority: 36;
    readonly UseCandidate: 37;
    readonly PasswordAlgorithms: 32770;
    readonly AlternateDomain: 32771;
    readonly Software: 32802;
    readonly AlternateServer: 32803;
    readonly Fingerprint: 32808;
    readonly IceControlled: 32809;
    readonly IceControlling: 32810;
    readonly ResponseOrigin: 32811;
    readonly OtherAddress: 32812;
    readonly AdditionalAddressFamily: 32768;
    readonly AddressErrorCode: 32769;
    readonly Icmp: 32772;
};
/**
 * Comprehension-required attributes (type < 0x8000) this server understands. Any other one in a
 * request is answered with 420 (RFC 8489 section 7.3.1). ICE attributes are listed because a
 * Binding request from an ICE agent may carry them and a Binding answer does not depend on them.
 */
export declare const KNOWN_REQUIRED_ATTRIBUTES: ReadonlySet<number>;
/** RFC 8656 section 14: REQUESTED-TRANSPORT protocol numbers. */
export declare const TRANSPORT_UDP = 17;
export declare const TRANSPORT_TCP = 6;
/** RFC 8656 section 18.13 / 18.1: address family codes. */
export declare const FAMILY_IPV4 = 1;
export declare const FAMILY_IPV6 = 2;
/** RFC 5766 section 11 allowed 0x4000-0x7FFF; RFC 8656 section 12 narrowed it to 0x4000-0x4FFF. */
export declare const CHANNEL_MIN = 16384;
export declare const CHANNEL_MAX = 32767;
/** Build the 14-bit message type from method and class (RFC 8489 section 5, figure 3). */
export declare function messageType(method: number, cls: number): number;
export declare function methodOf(type: number): number;
export declare function classOf(type: number): number;
