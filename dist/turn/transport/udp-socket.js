/**
 * A `lookup` for dgram sockets that answers IP literals synchronously. Node's default resolves
 * every send's destination through dns.lookup, which for an IP literal still costs a
 * process.nextTick and a closure per datagram; the relay only ever sends to IP literals.
 * Hostnames (client library only) still go through dns.lookup.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
export function ipLiteralLookup(hostname, options, callback) {
    const family = isIP(hostname);
    if (family)
        callback(null, hostname, family);
    else
        dns.lookup(hostname, options, callback);
}
/** A UDP socket for `ip`'s family with the given buffer sizes and the synchronous lookup. */
export function createUdpSocket(ip, bufferSize) {
    return dgram.createSocket({
        type: ip.includes(':') ? 'udp6' : 'udp4',
        recvBufferSize: bufferSize,
        sendBufferSize: bufferSize,
        lookup: ipLiteralLookup,
    });
}
//# sourceMappingURL=udp-socket.js.map