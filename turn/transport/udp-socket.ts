/**
 * A `lookup` for dgram sockets that answers IP literals synchronously. Node's default resolves
 * every send's destination through dns.lookup, which for an IP literal still costs a
 * process.nextTick and a closure per datagram; the relay only ever sends to IP literals.
 * Hostnames (client library only) still go through dns.lookup.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

export function ipLiteralLookup(hostname: string, options: dns.LookupOneOptions, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family) callback(null, hostname, family);
  else dns.lookup(hostname, options, callback);
}

/** A UDP socket for `ip`'s family with the given buffer sizes and the synchronous lookup. */
export function createUdpSocket(ip: string, bufferSize?: number): dgram.Socket {
  return dgram.createSocket({
    type: ip.includes(':') ? 'udp6' : 'udp4',
    recvBufferSize: bufferSize,
    sendBufferSize: bufferSize,
    lookup: ipLiteralLookup,
  });
}
