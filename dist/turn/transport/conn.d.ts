/**
 * The client side of a 5-tuple: where responses, Data indications and ChannelData go back to.
 * One object per UDP source address with an allocation (or per request otherwise), one per
 * TCP/TLS connection.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';
export type ClientTransport = 'udp' | 'tcp' | 'tls';
export interface ClientConn {
    readonly transport: ClientTransport;
    readonly ip: string;
    readonly port: number;
    /** The 5-tuple key: "transport:ip:port" (the server side is fixed per listener). */
    readonly key: string;
    /** Stream transports pad ChannelData to 4 bytes (RFC 8656 section 12.5). */
    readonly stream: boolean;
    /** The connection is gone (a closed TCP/TLS socket; never for UDP, which has none). */
    readonly closed: boolean;
    send(buf: Buffer): void;
}
export declare function connKey(transport: ClientTransport, ip: string, port: number): string;
export declare class UdpConn implements ClientConn {
    private readonly socket;
    readonly ip: string;
    readonly port: number;
    readonly transport: "udp";
    readonly stream = false;
    readonly closed = false;
    readonly key: string;
    constructor(socket: dgram.Socket, ip: string, port: number);
    send(buf: Buffer): void;
}
export declare class StreamConn implements ClientConn {
    readonly transport: 'tcp' | 'tls';
    private readonly socket;
    readonly ip: string;
    readonly port: number;
    private readonly highWaterMark;
    readonly stream = true;
    readonly key: string;
    /** Packets dropped because the connection's send queue was over the high-water mark. */
    dropped: number;
    constructor(transport: 'tcp' | 'tls', socket: net.Socket, ip: string, port: number, highWaterMark: number);
    get closed(): boolean;
    send(buf: Buffer): void;
}
