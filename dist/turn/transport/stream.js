/**
 * TCP and TLS client connections (RFC 8656 section 3.1; framing per section 12.5). One
 * StreamFramer per connection; garbage closes the connection; closing the connection deletes its
 * allocation (the 5-tuple is gone). A connection that holds no allocation is closed after an idle
 * period, and the listener caps the number of connections.
 */
import net from 'node:net';
import tls from 'node:tls';
import { StreamConn } from './conn.js';
import { StreamFramer } from './framer.js';
function serveConnection(sock, transport, d) {
    const conn = new StreamConn(transport, sock, sock.remoteAddress ?? '', sock.remotePort ?? 0, d.opts.streamHighWaterMark);
    const framer = new StreamFramer((frame, channel) => d.dispatcher.onStream(frame, channel, conn));
    sock.setNoDelay(true);
    if (transport === 'tls') {
        // One message per TLS record: Node batches queued writes into one record (writev), and some
        // clients (coturn's turnutils_uclient) read one message per record and lose the rest.
        sock._writev = null;
    }
    sock.setTimeout(d.opts.streamIdleMs);
    sock.on('timeout', () => {
        if (!d.allocations.get(conn.key))
            sock.destroy();
    });
    sock.on('data', (chunk) => {
        if (!framer.push(chunk))
            sock.destroy();
    });
    sock.on('error', () => { });
    sock.on('close', () => d.allocations.deleteByConn(conn.key, 'disconnect'));
}
function trackConnections(server, sockets) {
    server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
    });
}
function listen(server, ip, port) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: ip, exclusive: true }, () => {
            server.off('error', reject);
            server.on('error', () => { });
            resolve();
        });
    });
}
export async function listenTcp(ip, port, d, sockets) {
    const server = net.createServer((s) => serveConnection(s, 'tcp', d));
    server.maxConnections = d.opts.maxStreamConnections;
    trackConnections(server, sockets);
    await listen(server, ip, port);
    return server;
}
export async function listenTls(ip, port, cert, key, d, sockets) {
    const server = tls.createServer({ cert, key, handshakeTimeout: 10_000 }, (s) => serveConnection(s, 'tls', d));
    server.maxConnections = d.opts.maxStreamConnections;
    // Raw TCP sockets are tracked so stop() can destroy connections still in the handshake.
    trackConnections(server, sockets);
    server.on('tlsClientError', () => { });
    await listen(server, ip, port);
    return server;
}
//# sourceMappingURL=stream.js.map