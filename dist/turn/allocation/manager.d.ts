/**
 * All allocations of the relay: by 5-tuple key (client conn key), by relay port (in-process
 * relay-to-relay), count per user (quota), RESERVATION-TOKENs (RFC 8656 section 14.9), and the
 * single sweep that expires allocations, permissions, channels and reservations.
 */
import { EventEmitter } from 'node:events';
import type dgram from 'node:dgram';
import type { AllocationEvent, RelayStats } from '../types.js';
import type { Allocation, AllocationHost } from './allocation.js';
export type DeleteReason = 'expired' | 'refresh' | 'stop' | 'error' | 'disconnect';
export interface ManagerEvents {
    created: [Allocation];
    deleted: [Allocation, DeleteReason];
}
export declare class AllocationManager extends EventEmitter<ManagerEvents> implements AllocationHost {
    readonly stats: RelayStats;
    readonly relayIp: string;
    private readonly byKey;
    /** UDP clients by addressKey(ip, port): the ChannelData hot path looks up without a string. */
    private readonly byUdp;
    private readonly byPort;
    private readonly perUser;
    private readonly reservations;
    private readonly reservedPorts;
    /** 5-tuples with an Allocate in progress (socket bind pending): retransmissions are dropped. */
    readonly pending: Set<string>;
    constructor(stats: RelayStats, relayIp: string);
    get(key: string): Allocation | undefined;
    /** The allocation of the UDP client ip:port (same as get(`udp:${ip}:${port}`)). */
    getUdp(ip: string, port: number): Allocation | undefined;
    byRelayPort(port: number): Allocation | undefined;
    portInUse: (port: number) => boolean;
    get size(): number;
    /** Allocations and pending Allocates of one user (for TURN_USER_QUOTA). */
    userCount(username: string): number;
    private readonly openSockets;
    /** Count a relay socket as open (stats.relaySockets) until `releaseSocket`. */
    trackSocket(s: dgram.Socket): void;
    /** Close a relay socket and stop counting it (synchronously, so stats are exact at once). */
    releaseSocket(s: dgram.Socket): void;
    add(a: Allocation): void;
    delete(a: Allocation, reason: DeleteReason): void;
    /** Delete every allocation whose client is `connKey` (TCP/TLS connection closed). */
    deleteByConn(connKey: string, reason: DeleteReason): void;
    reserve(token: string, port: number, socket: dgram.Socket, expiresAt: number): void;
    /** Take a reservation (the socket moves to the new allocation). */
    takeReservation(token: string, now: number): {
        port: number;
        socket: dgram.Socket;
    } | undefined;
    /** The periodic sweep: allocation lifetime (RFC 8656 section 7), permissions, channels. */
    sweep(now: number): void;
    /** Count permissions and channels into stats (on demand: stats() calls it, handlers do not). */
    recount(): void;
    deleteAll(reason: DeleteReason): void;
    all(): IterableIterator<Allocation>;
}
export declare function allocationEvent(a: Allocation): AllocationEvent;
