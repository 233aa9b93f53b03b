import type dgram from 'node:dgram';
import { type ClientConn } from '../transport/conn.js';
import type { ServerContext } from './context.js';
import { TransactionCache } from './transaction-cache.js';
export declare class Dispatcher {
    private readonly ctx;
    readonly cache: TransactionCache;
    /** Exceptions caught from handlers (should stay 0; counted for tests and logs). */
    errors: number;
    constructor(ctx: ServerContext);
    /** One datagram on the client-facing UDP socket. */
    onUdp(socket: dgram.Socket, buf: Buffer, ip: string, port: number): void;
    /** One frame (already split by StreamFramer) from a TCP/TLS connection. */
    onStream(buf: Buffer, channel: boolean, conn: ClientConn): void;
    private fault;
    private onMessage;
    private answer;
}
