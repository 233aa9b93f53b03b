/**
 * Who is in which room. An interface so the single-node (in-memory) and cluster (Redis) versions
 * are interchangeable; every method is async because the cluster one is.
 */
import type { PeerInfo } from '../protocol/index.js';

/** The outcome of {@link RoomRegistry.join}: the other peers already there, or a full room. */
export type JoinResult =
  | { ok: true; peers: PeerInfo[]; /** the peer id was already a member (a resume) */ rejoined: boolean }
  | { ok: false; reason: 'room-full' };

/**
 * Who is in which room: where createApp keeps membership (see {@link AppDeps.registry}). The
 * default is in memory; a cluster shares one in Redis. An implementation must make `join`'s
 * capacity check and insertion one atomic step.
 */
export interface RoomRegistry {
  /** Adds `peer` unless the room is full. Checking and adding is one atomic step. */
  join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult>;
  /** Removes the peer; true if it was a member. */
  leave(room: string, peerId: string): Promise<boolean>;
  /** The member `peerId` of `room`, or undefined. */
  get(room: string, peerId: string): Promise<PeerInfo | undefined>;
  /** Every member of `room` (none for an unknown room). */
  members(room: string): Promise<PeerInfo[]>;
  /** Rooms with at least one peer, and peers in rooms. */
  counts(): Promise<{ rooms: number; peers: number }>;
  /** Releases the registry's resources; called by the app's `stop()`. */
  close(): Promise<void>;
}

export class MemoryRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Map<string, PeerInfo>>();

  async join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult> {
    let members = this.rooms.get(room);
    const rejoined = members?.has(peer.id) ?? false;
    if (!rejoined && members && members.size >= capacity) return { ok: false, reason: 'room-full' };
    if (!members) this.rooms.set(room, (members = new Map()));
    const peers = [...members.values()].filter((p) => p.id !== peer.id);
    members.set(peer.id, { id: peer.id, name: peer.name });
    return { ok: true, peers, rejoined };
  }

  async leave(room: string, peerId: string): Promise<boolean> {
    const members = this.rooms.get(room);
    if (!members?.delete(peerId)) return false;
    if (members.size === 0) this.rooms.delete(room);
    return true;
  }

  async get(room: string, peerId: string): Promise<PeerInfo | undefined> {
    return this.rooms.get(room)?.get(peerId);
  }

  async members(room: string): Promise<PeerInfo[]> {
    return [...(this.rooms.get(room)?.values() ?? [])];
  }

  async counts(): Promise<{ rooms: number; peers: number }> {
    let peers = 0;
    for (const m of this.rooms.values()) peers += m.size;
    return { rooms: this.rooms.size, peers };
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}

/** Thrown by a registry whose backing store (Redis) cannot be reached; clients get `unavailable`. */
export class RegistryUnavailableError extends Error {
  constructor(message = 'room registry unavailable') {
    super(message);
    this.name = 'RegistryUnavailableError';
  }
}
