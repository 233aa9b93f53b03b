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
import { RegistryUnavailableError, type JoinResult, type RoomRegistry } from '../signaling/registry.js';
import { HEARTBEAT, JOIN, LEAVE, REAP } from './scripts.js';

type Script = (...args: Array<string | number>) => Promise<unknown>;
interface ScriptedRedis {
  sbJoin: Script;
  sbLeave: Script;
  sbHeartbeat: Script;
  sbReap: Script;
}

/** Redis answers that mean "not now" rather than "your request is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)/;

function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError') return TRANSIENT_REPLY.test(err.message);
  return true; // connection closed, not writable, command timed out, max retries
}

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

const splitMember = (m: string) => {
  const i = m.indexOf('\n');
  return { room: m.slice(0, i), peerId: m.slice(i + 1) };
};

function decodePeer(id: string, json: string): PeerInfo {
  const v = JSON.parse(json) as { name?: string };
  return { id, name: v.name ?? '' };
}

export class RedisRegistry implements RoomRegistry {
  readonly node: string;
  private readonly prefix: string;
  private readonly redis: Redis & ScriptedRedis;
  /** The peers this node admitted and has not let go ("room\npeerId"): what it re-asserts. */
  private readonly owned = new Map<string, PeerInfo>();
  /** Departures that failed while Redis was unreachable: "room\npeerId". */
  readonly failedLeaves = new Set<string>();
  /** Set when a call failed for want of Redis; the cluster node reconciles and clears it. */
  dirty = false;

  constructor(redis: Redis, private readonly opts: RedisRegistryOptions) {
    this.node = opts.node;
    this.prefix = opts.prefix;
    for (const [name, lua] of [['sbJoin', JOIN], ['sbLeave', LEAVE], ['sbHeartbeat', HEARTBEAT], ['sbReap', REAP]] as const) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
    this.redis = redis as Redis & ScriptedRedis;
  }

  private async call<T>(op: (r: Redis & ScriptedRedis) => Promise<T>): Promise<T> {
    const why = this.redis.status !== 'ready' ? `redis is ${this.redis.status}` : this.opts.notReady?.();
    if (why) {
      this.dirty = true;
      throw new RegistryUnavailableError(why);
    }
    try {
      return await op(this.redis);
    } catch (err) {
      if (!isTransient(err)) throw err;
      this.dirty = true;
      throw new RegistryUnavailableError(`redis: ${(err as Error).message}`);
    }
  }

  async join(room: string, peer: PeerInfo, capacity: number): Promise<JoinResult> {
    const res = await this.run('join', room, peer, capacity);
    if (res === 'moved' || res === 'full') return { ok: false, reason: 'room-full' };
    return res;
  }

  private async run(mode: 'join' | 'assert', room: string, peer: PeerInfo, capacity: number): Promise<Extract<JoinResult, { ok: true }> | 'full' | 'moved'> {
    const res = (await this.call((r) => r.sbJoin(this.prefix, room, peer.id, peer.name, this.node, capacity, mode))) as Array<number | string>;
    const member = `${room}\n${peer.id}`;
    if (res[0] === 2) {
      this.owned.delete(member);
      return 'moved';
    }
    if (res[0] === 0) return 'full';
    this.failedLeaves.delete(member);
    this.owned.set(member, { id: peer.id, name: peer.name });
    const peers: PeerInfo[] = [];
    for (let i = 2; i < res.length; i += 2) peers.push(decodePeer(String(res[i]), String(res[i + 1])));
    return { ok: true, peers, rejoined: res[1] === 1 };
  }

  /**
   * Puts back every peer this node owns that Redis lost. A peer with a live socket here is claimed
   * outright; one in its resume grace only if no other node owns it now (it may have resumed
   * there). Returns those put back (their rooms had lost them) and those that no longer fit.
   */
  async reassert(
    capacity: number,
    isLive: (room: string, peerId: string) => boolean,
  ): Promise<{ readded: Array<{ room: string; peer: PeerInfo }>; full: Array<{ room: string; peer: PeerInfo }> }> {
    const readded: Array<{ room: string; peer: PeerInfo }> = [];
    const full: Array<{ room: string; peer: PeerInfo }> = [];
    for (const [m, peer] of [...this.owned]) {
      const { room } = splitMember(m);
      const res = await this.run(isLive(room, peer.id) ? 'join' : 'assert', room, peer, capacity);
      if (res === 'full') full.push({ room, peer });
      else if (res !== 'moved' && !res.rejoined) readded.push({ room, peer });
    }
    return { readded, full };
  }

  async leave(room: string, peerId: string): Promise<boolean> {
    this.owned.delete(`${room}\n${peerId}`);
    try {
      return (await this.call((r) => r.sbLeave(this.prefix, room, peerId, this.node))) === 1;
    } catch (err) {
      if (err instanceof RegistryUnavailableError) this.failedLeaves.add(`${room}\n${peerId}`);
      throw err;
    }
  }

  async get(room: string, peerId: string): Promise<PeerInfo | undefined> {
    const v = await this.call((r) => r.hget(`${this.prefix}room:${room}`, peerId));
    return v === null ? undefined : decodePeer(peerId, v);
  }

  async members(room: string): Promise<PeerInfo[]> {
    const all = await this.call((r) => r.hgetall(`${this.prefix}room:${room}`));
    return Object.entries(all).map(([id, json]) => decodePeer(id, json));
  }

  async counts(): Promise<{ rooms: number; peers: number }> {
    const [rooms, peers] = await this.call((r) => Promise.all([r.scard(`${this.prefix}rooms`), r.get(`${this.prefix}peers`)]));
    return { rooms, peers: Math.max(0, Number(peers ?? 0)) };
  }

  /** Records this node as alive now; true when it was missing (Redis lost its data, or we were reaped). */
  async heartbeat(): Promise<boolean> {
    const [added] = (await this.call((r) => r.sbHeartbeat(this.prefix, this.node))) as [number, number];
    return added === 1;
  }

  /** Removes the peers of every node silent for `staleMs`; returns them for the announcements. */
  async reap(staleMs: number): Promise<ReapedPeer[]> {
    const res = (await this.call((r) => r.sbReap(this.prefix, staleMs))) as string[];
    const out: ReapedPeer[] = [];
    for (let i = 0; i < res.length; i += 2) out.push({ node: res[i]!, ...splitMember(res[i + 1]!) });
    return out;
  }

  /**
   * Retries the departures that failed while Redis was away (a peer that joined again since is no
   * longer listed); returns those that removed a peer.
   */
  async retryFailedLeaves(): Promise<Array<{ room: string; peerId: string }>> {
    const done: Array<{ room: string; peerId: string }> = [];
    for (const m of [...this.failedLeaves]) {
      const { room, peerId } = splitMember(m);
      this.failedLeaves.delete(m);
      if (await this.leave(room, peerId)) done.push({ room, peerId });
    }
    return done;
  }

  /** Live nodes and their last heartbeat (ms, Redis clock). */
  async nodes(): Promise<Array<{ node: string; lastSeen: number }>> {
    const flat = await this.call((r) => r.zrange(`${this.prefix}nodes`, '0', '-1', 'WITHSCORES'));
    const out: Array<{ node: string; lastSeen: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ node: flat[i]!, lastSeen: Number(flat[i + 1]) });
    return out;
  }

  async close(): Promise<void> {
    await this.opts.onClose?.();
  }
}
