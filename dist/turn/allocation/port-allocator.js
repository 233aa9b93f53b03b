import { createUdpSocket } from '../transport/udp-socket.js';
import { randomInt } from 'node:crypto';
function bind(ip, port, bufferSize) {
    return new Promise((resolve) => {
        const s = createUdpSocket(ip, bufferSize);
        const fail = () => {
            try {
                s.close();
            }
            catch {
                // never bound
            }
            resolve(null);
        };
        s.once('error', fail);
        s.bind({ port, address: ip, exclusive: true }, () => {
            s.off('error', fail);
            resolve(s);
        });
    });
}
/** Bind a specific port (used for reservations: the odd port after an even one). */
export function bindPort(ip, port, bufferSize) {
    return bind(ip, port, bufferSize);
}
export function rangePortAllocator(ip, min, max, bufferSize, maxTries = 64) {
    return async ({ even, inUse }) => {
        const span = max - min + 1;
        const start = randomInt(span);
        let tries = 0;
        for (let i = 0; i < span && tries < maxTries; i++) {
            const port = min + ((start + i) % span);
            if ((even && port % 2 !== 0) || inUse(port))
                continue;
            tries++;
            const s = await bind(ip, port, bufferSize);
            if (s)
                return { port, socket: s };
        }
        return null;
    };
}
//# sourceMappingURL=port-allocator.js.map