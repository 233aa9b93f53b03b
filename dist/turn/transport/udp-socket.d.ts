/**
 * A `lookup` for dgram sockets that answers IP literals synchronously. Node's default resolves
 * every send's destination through dns.lookup, which for an IP literal still costs a
 * process.nextTick and a closure per datagram; the relay only ever sends to IP literals.
 * Hostnames (client library only) still go through dns.lookup.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;
export declare function ipLiteralLookup(hostname: string, options: dns.LookupOneOptions, callback: LookupCallback): void;
/** A UDP socket for `ip`'s family with the given buffer sizes and the synchronous lookup. */
export declare function createUdpSocket(ip: string, bufferSize?: number): dgram.Socket;
export {};
