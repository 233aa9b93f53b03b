export function clientAddress(socket, trustProxy) {
    if (trustProxy) {
        const xff = socket.handshake.headers['x-forwarded-for'];
        const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
        if (first)
            return first;
    }
    return socket.handshake.address;
}
export class ConnectionLimiter {
    max;
    counts = new Map();
    constructor(max) {
        this.max = max;
    }
    /** Reserve a slot for `ip`; returns a release function, or undefined when the cap is reached. */
    acquire(ip) {
        const n = this.counts.get(ip) ?? 0;
        if (this.max > 0 && n >= this.max)
            return undefined;
        this.counts.set(ip, n + 1);
        let released = false;
        return () => {
            if (released)
                return;
            released = true;
            const left = (this.counts.get(ip) ?? 1) - 1;
            if (left <= 0)
                this.counts.delete(ip);
            else
                this.counts.set(ip, left);
        };
    }
    get size() {
        return this.counts.size;
    }
}
//# sourceMappingURL=connection-limit.js.map