/**
 * RoomRegistry on Redis, for a cluster: every node sees the same rooms, and joining checks capacity
 * and adds the peer in one Lua script, so peers arriving at once on different nodes can never
 * overfill a room.
 *
 * Each peer is owned by the node whose socket speaks for it. `leave` removes a peer only while this
 * node still owns it: after a peer resumed on another node, this node's late departure (its resume
 * grace running out) is a no-op, so the peer is never announced as left.
 *
 * While Redis is unreachable every call throws RegistryUnavailableError at once (no offline queue),
 * which clients see as `unavailable`. Departures that failed that way are kept and retried by the
 * cluster node (see node.ts) once Redis is back.
 */
import type { Redis } from 'ioredis';
import type { PeerInfo } from '../protocol/index.js';
import { type JoinResult, type RoomRegistry } from '../signaling/registry.js';
export interface RedisRegistryOptions {
    /** This node incarnation's id: the owner recorded for the peers it admits. */
    node: string;
    prefix: string;
    /**
     * Why Redis is not usable right now, beyond this client (the adapter's connections): undefined
     * when all is well. While it gives a reason, calls fail as unavailable, so that nothing is
     * admitted whose announcements the adapter could not carry.
     */
    notReady?: () => string | undefined;
    /** Extra cleanup run by close() (timers, the adapter's clients). */
    onClose?: () => Promise<void>;
}
export interface ReapedPeer {
    node: string;
    room: string;
    peerId: string;
}
export declare class RedisRegistry implements RoomRegistry {
    private readonly opts;
    readonly node: string;
    private readonly prefix;
    private readonly redis;
    /** The peers this node admitted and has not let go ("room\npeerId"): what it re-asserts. */
    private readonly owned;
    /** Departures that failed while Redis was unreachable: "room\npeerId". */
    readonly failedLeaves: Set<string>;
    /** Set when a call failed for want of Redis; the cluster node reconciles and clears it. */
    dirty: boolean;
    constructor(redis: Redis, opts: RedisRegistryOptions);
    private call;
    join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult>;
    private run;
    /**
     * Puts back every peer this node owns that Redis lost. A peer with a live socket here is claimed
     * outright; one in its resume grace only if no other node owns it now (it may have resumed
     * there). Returns those put back (their rooms had lost them) and those that no longer fit.
     */
    reassert(capacity: number, isLive: (room: string, peerId: string) => boolean): Promise<{
        readded: Array<{
            room: string;
            peer: PeerInfo;
        }>;
        full: Array<{
            room: string;
            peer: PeerInfo;
        }>;
    }>;
    leave(room: string, peerId: string): Promise<boolean>;
    get(room: string, peerId: string): Promise<PeerInfo | undefined>;
    members(room: string): Promise<PeerInfo[]>;
    counts(): Promise<{
        rooms: number;
        peers: number;
    }>;
    /** Records this node as alive now; true when it was missing (Redis lost its data, or we were reaped). */
    heartbeat(): Promise<boolean>;
    /** Removes the peers of every node silent for `staleMs`; returns them for the announcements. */
    reap(staleMs: number): Promise<ReapedPeer[]>;
    /**
     * Retries the departures that failed while Redis was away (a peer that joined again since is no
     * longer listed); returns those that removed a peer.
     */
    retryFailedLeaves(): Promise<Array<{
        room: string;
        peerId: string;
    }>>;
    /** Live nodes and their last heartbeat (ms, Redis clock). */
    nodes(): Promise<Array<{
        node: string;
        lastSeen: number;
    }>>;
    close(): Promise<void>;
}
