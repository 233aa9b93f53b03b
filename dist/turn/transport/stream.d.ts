/**
 * TCP and TLS client connections (RFC 8656 section 3.1; framing per section 12.5). One
 * StreamFramer per connection; garbage closes the connection; closing the connection deletes its
 * allocation (the 5-tuple is gone). A connection that holds no allocation is closed after an idle
 * period, and the listener caps the number of connections.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AllocationManager } from '../allocation/manager.js';
import type { ResolvedOptions } from '../options.js';
import type { Dispatcher } from '../server/dispatcher.js';
export interface StreamDeps {
    dispatcher: Dispatcher;
    allocations: AllocationManager;
    opts: ResolvedOptions;
}
export declare function listenTcp(ip: string, port: number, d: StreamDeps, sockets: Set<net.Socket>): Promise<net.Server>;
export declare function listenTls(ip: string, port: number, cert: string | Buffer, key: string | Buffer, d: StreamDeps, sockets: Set<net.Socket>): Promise<tls.Server>;
