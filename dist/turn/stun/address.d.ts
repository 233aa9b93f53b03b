export interface TransportAddress {
    family: 4 | 6;
    address: string;
    port: number;
}
/** Parse a dotted IPv4 string to an unsigned 32-bit number (no validation beyond the shape). */
export declare function ipv4ToInt(ip: string): number;
/**
 * The address to report as a client's reflexive address: an IPv4-mapped IPv6 address (what a
 * dual-stack `::` listener sees for IPv4 clients) is reported as the IPv4 address it maps.
 */
export declare function reflexiveIp(ip: string): string;
/**
 * A Map key for a transport address without building a string: a number for IPv4
 * (ip * 65536 + port, exact in a double), the "ip:port" string for IPv6. Hot paths use it because
 * a freshly concatenated string must be flattened and hashed on every lookup.
 */
export declare function addressKey(ip: string, port: number): number | string;
export declare function intToIpv4(n: number): string;
/** Expand an IPv6 string to its 16 bytes. Returns null when it is not IPv6. */
export declare function ipv6ToBytes(ip: string): Buffer | null;
export declare function bytesToIpv6(b: Buffer, off?: number): string;
/**
 * Decode an address attribute value. `tid` non-null means XOR-ed (RFC 8489 section 14.2: port
 * XOR the cookie's top 16 bits, IPv4 XOR the cookie, IPv6 XOR cookie || transaction id).
 * Returns null on a malformed value.
 */
export declare function decodeAddress(buf: Buffer, off: number, len: number, tid: Buffer | null): TransportAddress | null;
/** Encode an address attribute value (XOR-ed when `tid` is given). */
export declare function encodeAddress(ip: string, port: number, tid: Buffer | null): Buffer;
