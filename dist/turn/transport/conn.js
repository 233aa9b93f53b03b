export function connKey(transport, ip, port) {
    return `${transport}:${ip}:${port}`;
}
export class UdpConn {
    socket;
    ip;
    port;
    transport = 'udp';
    stream = false;
    closed = false;
    key;
    constructor(socket, ip, port) {
        this.socket = socket;
        this.ip = ip;
        this.port = port;
        this.key = connKey('udp', ip, port);
    }
    send(buf) {
        this.socket.send(buf, this.port, this.ip);
    }
}
export class StreamConn {
    transport;
    socket;
    ip;
    port;
    highWaterMark;
    stream = true;
    key;
    /** Packets dropped because the connection's send queue was over the high-water mark. */
    dropped = 0;
    constructor(transport, socket, ip, port, highWaterMark) {
        this.transport = transport;
        this.socket = socket;
        this.ip = ip;
        this.port = port;
        this.highWaterMark = highWaterMark;
        this.key = connKey(transport, ip, port);
    }
    get closed() {
        return this.socket.destroyed;
    }
    send(buf) {
        if (this.socket.destroyed || this.socket.writableLength > this.highWaterMark) {
            this.dropped++;
            return;
        }
        this.socket.write(buf);
    }
}
//# sourceMappingURL=conn.js.map