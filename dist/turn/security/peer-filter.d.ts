interface V4Range {
    net: number;
    mask: number;
}
interface V6Range {
    bytes: Buffer;
    bits: number;
}
export declare function parseCidr(cidr: string): {
    v4?: V4Range;
    v6?: V6Range;
};
/** The IPv4 address embedded in an IPv6 one (mapped, compatible, NAT64, 6to4), or undefined. */
export declare function embeddedIpv4(b: Buffer): number | undefined;
export type PeerVerdict = 'allowed' | 'relay' | 'denied';
export declare class PeerFilter {
    private readonly denyV4;
    private readonly denyV6;
    private readonly allowV4;
    private readonly allowV6;
    private readonly relayV4;
    private readonly relayV6;
    constructor(allow: readonly string[], relayIps: readonly string[]);
    private checkV4;
    /** 'relay' when the address is one of this server's relay addresses (delivered in-process). */
    check(ip: string): PeerVerdict;
    isAllowed(ip: string): boolean;
}
export {};
