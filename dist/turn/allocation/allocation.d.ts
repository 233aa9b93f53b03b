/**
 * One allocation (RFC 8656 section 2.2 / 6): the relayed transport address (a UDP socket), its
 * 5-tuple, permissions (section 9) and channel bindings (section 12), lifetime, and the two
 * hot paths:
 *   - `fromPeer`: a datagram arrived on the relayed address -> Data indication or ChannelData
 *     to the client (sections 11.3 and 12.6);
 *   - `toPeer`: data from the client (Send indication or ChannelData) -> the peer, or straight
 *     to the allocation that owns the port when the peer is this server's relay address.
 * Expiry is not timer-driven here: the relay's single sweep calls `sweep(now)`.
 */
import type dgram from 'node:dgram';
import type { ClientConn } from '../transport/conn.js';
import type { RelayStats } from '../types.js';
import type { TokenBucket } from './token-bucket.js';
export interface Channel {
    number: number;
    peerIp: string;
    peerPort: number;
    /** addressKey(peerIp, peerPort) */
    peerKey: number | string;
    expiresAt: number;
    /** The peer is this server's relay IP: deliver in-process. */
    local: boolean;
}
/** What an allocation needs from the rest of the relay. */
export interface AllocationHost {
    readonly stats: RelayStats;
    readonly relayIp: string;
    /** The allocation owning relay port `port`, for in-process relay-to-relay delivery. */
    byRelayPort(port: number): Allocation | undefined;
    releaseSocket(s: dgram.Socket): void;
}
export declare class Allocation {
    private readonly host;
    readonly client: ClientConn;
    readonly username: string;
    readonly key: Buffer;
    readonly relayPort: number;
    readonly socket: dgram.Socket;
    readonly bucket: TokenBucket | null;
    /** Peer IP -> expiry (ms). */
    readonly permissions: Map<string, number>;
    readonly channels: Map<number, Channel>;
    readonly channelByPeer: Map<string | number, Channel>;
    expiresAt: number;
    /** The Allocate transaction that created this allocation, and its response (retransmissions). */
    createTid: string;
    createResponse: Buffer | undefined;
    closed: boolean;
    readonly relayed: string;
    constructor(host: AllocationHost, client: ClientConn, username: string, key: Buffer, relayPort: number, socket: dgram.Socket, expiresAt: number, bucket: TokenBucket | null);
    /**
     * RFC 8656 section 11.3 / 12.6: a datagram from a peer. Dropped without a permission for the
     * peer's IP (section 9), or over the bandwidth cap; sent as ChannelData when a channel is bound
     * to the peer's transport address, else as a Data indication.
     */
    fromPeer(msg: Buffer, off: number, len: number, ip: string, port: number): void;
    /**
     * Client data to a peer (section 10.2 step after validation, section 12.5). The caller has
     * checked the permission. `local` means the peer is this server's relay IP: the datagram is
     * handed to the allocation owning that port inside the process, or dropped when none does.
     */
    toPeer(data: Buffer, off: number, len: number, ip: string, port: number, local: boolean): void;
    hasPermission(ip: string): boolean;
    /** Drop expired permissions and channels (sections 9 and 12: no refresh -> gone). */
    sweep(now: number): void;
    close(): void;
}
