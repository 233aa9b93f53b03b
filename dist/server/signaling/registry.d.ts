/**
 * Who is in which room. An interface so the single-node (in-memory) and cluster (Redis) versions
 * are interchangeable; every method is async because the cluster one is.
 */
import type { PeerInfo } from '../protocol/index.js';
export type JoinResult = {
    ok: true;
    peers: PeerInfo[]; /** the peer id was already a member (a resume) */
    rejoined: boolean;
} | {
    ok: false;
    reason: 'room-full';
};
export interface RoomRegistry {
    /** Adds `peer` unless the room is full. Checking and adding is one atomic step. */
    join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult>;
    /** Removes the peer; true if it was a member. */
    leave(room: string, peerId: string): Promise<boolean>;
    get(room: string, peerId: string): Promise<PeerInfo | undefined>;
    members(room: string): Promise<PeerInfo[]>;
    counts(): Promise<{
        rooms: number;
        peers: number;
    }>;
    close(): Promise<void>;
}
export declare class MemoryRegistry implements RoomRegistry {
    private readonly rooms;
    join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult>;
    leave(room: string, peerId: string): Promise<boolean>;
    get(room: string, peerId: string): Promise<PeerInfo | undefined>;
    members(room: string): Promise<PeerInfo[]>;
    counts(): Promise<{
        rooms: number;
        peers: number;
    }>;
    close(): Promise<void>;
}
/** Thrown by a registry whose backing store (Redis) cannot be reached; clients get `unavailable`. */
export declare class RegistryUnavailableError extends Error {
    constructor(message?: string);
}
