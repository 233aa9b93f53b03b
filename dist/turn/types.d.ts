/**
 * The relay's public interface. The signaling server sees the relay only through this (and the
 * shared TURN secret); whether the relay runs in this process, in a child process, or is an
 * external coturn, the rest of the code does not care.
 */
import type { EventEmitter } from 'node:events';
export interface RelayStats {
    allocations: number;
    permissions: number;
    channels: number;
    /** Client -> peer direction (relayed out of the relay socket). */
    packetsToPeers: number;
    bytesToPeers: number;
    /** Peer -> client direction (Data indications or ChannelData to the client). */
    packetsToClients: number;
    bytesToClients: number;
    authFailures: number;
    forbidden: number;
    /** Allocations ever created (a counter, for rates). */
    allocationsTotal: number;
    /** Open relay (peer-facing) sockets right now; 0 after every allocation is freed. */
    relaySockets: number;
}
export interface AllocationEvent {
    /** The 5-tuple's client side, as "transport:ip:port". */
    client: string;
    /** The relayed transport address, as "ip:port". */
    relayed: string;
    username: string;
}
export interface RelayEvents {
    'allocation-created': [AllocationEvent];
    'allocation-deleted': [AllocationEvent & {
        reason: 'expired' | 'refresh' | 'stop' | 'error' | 'disconnect';
    }];
    /** Only from startRelayProcess: the relay's child process exited unexpectedly. */
    'child-exit': [{
        code: number | null;
        signal: string | null;
        willRestart: boolean;
    }];
    /** Only from startRelayProcess: a new child is serving again (same ports). */
    'child-restarted': [{
        attempt: number;
        addresses: RelayAddresses;
    }];
}
export interface RelayAddresses {
    udp: {
        address: string;
        port: number;
    };
    tcp: {
        address: string;
        port: number;
    };
    tls?: {
        address: string;
        port: number;
    } | undefined;
}
export interface Relay extends EventEmitter<RelayEvents> {
    /** Bind every listener; resolves with the bound addresses (ports may have been 0). */
    start(): Promise<RelayAddresses>;
    /** Close every socket and timer; the process can exit afterwards. Idempotent. */
    stop(): Promise<void>;
    stats(): Promise<RelayStats>;
}
