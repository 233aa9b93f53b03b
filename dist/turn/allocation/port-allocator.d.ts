/**
 * Relay port allocation: a UDP socket bound in TURN_MIN_PORT..TURN_MAX_PORT. The search starts at
 * a random port (RFC 8656 section 7.2: relayed ports should be unpredictable), skips ports this
 * relay already holds, and moves on when the kernel says EADDRINUSE (another process). EVEN-PORT
 * restricts the search to even ports (section 14.6). Swappable: the relay takes any function of
 * this shape.
 */
import type dgram from 'node:dgram';
export interface BoundPort {
    port: number;
    socket: dgram.Socket;
}
export type PortAllocator = (opts: {
    even: boolean;
    inUse: (port: number) => boolean;
}) => Promise<BoundPort | null>;
/** Bind a specific port (used for reservations: the odd port after an even one). */
export declare function bindPort(ip: string, port: number, bufferSize: number): Promise<dgram.Socket | null>;
export declare function rangePortAllocator(ip: string, min: number, max: number, bufferSize: number, maxTries?: number): PortAllocator;
