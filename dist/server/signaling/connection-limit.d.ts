/**
 * Caps concurrent Socket.IO connections per client address (MAX_CONNECTIONS_PER_IP, 0 = off).
 * Behind a proxy (TRUST_PROXY=true) the address is the first X-Forwarded-For entry.
 */
import type { Socket } from 'socket.io';
export declare function clientAddress(socket: Pick<Socket, 'handshake'>, trustProxy: boolean): string;
export declare class ConnectionLimiter {
    private readonly max;
    private readonly counts;
    constructor(max: number);
    /** Reserve a slot for `ip`; returns a release function, or undefined when the cap is reached. */
    acquire(ip: string): (() => void) | undefined;
    get size(): number;
}
