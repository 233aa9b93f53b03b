import { createUdpSocket } from './udp-socket.js';
export function listenUdp(ip, port, bufferSize, dispatcher) {
    return new Promise((resolve, reject) => {
        const s = createUdpSocket(ip, bufferSize);
        s.once('error', reject);
        s.bind({ port, address: ip, exclusive: true }, () => {
            s.off('error', reject);
            s.on('error', () => { });
            s.on('message', (msg, rinfo) => dispatcher.onUdp(s, msg, rinfo.address, rinfo.port));
            resolve(s);
        });
    });
}
//# sourceMappingURL=udp.js.map