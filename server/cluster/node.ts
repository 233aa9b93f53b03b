/**
 * The node's part in the cluster, on a timer of NODE_TTL_MS / 3:
 *
 * 1. Heartbeat: record this node incarnation as alive (Redis clock).
 * 2. Reap: any node silent for max(NODE_TTL_MS, RESUME_GRACE_MS) is dead (judged only by a node
 *    that has itself reached Redis for that long without a break, so that after a Redis outage
 *    the live nodes get to beat again before anyone is judged). Its peers that have not
 *    resumed elsewhere are removed and `peer-left` goes to their rooms through the adapter. The
 *    delay is never shorter than the resume grace, so a dead node's peers get the same window to
 *    resume (on any node) as a dropped socket on a live one: a peer that resumes in time is never
 *    announced as left. Ghosts are gone within max(NODE_TTL_MS, RESUME_GRACE_MS) + NODE_TTL_MS / 3
 *    of a node's death (its last heartbeat is at most one interval before it, the next sweep at
 *    most one interval after the deadline), given a surviving node connected to Redis meanwhile.
 * 3. Reconcile, after Redis was unreachable or lost its data (our heartbeat entry was missing):
 *    re-assert the peers this node owns, live or in their resume grace (and tell their rooms if
 *    they had been dropped), and redo the departures that failed meanwhile.
 */
import type { Logger } from '../log.js';
import { peerKey, roomKey, type IoServer } from '../signaling/context.js';
import { RegistryUnavailableError } from '../signaling/registry.js';
import type { RedisRegistry } from './redis-registry.js';

export interface ClusterNodeOptions {
  heartbeatMs: number;
  reapAfterMs: number;
  roomCapacity: number;
  log: Logger;
}

export class ClusterNode {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private beats = 0;
  private redisDown = false;
  /** Since when this node has reached Redis without a break (Date.now()). */
  private upSince = 0;

  constructor(
    private readonly io: IoServer,
    private readonly registry: RedisRegistry,
    private readonly opts: ClusterNodeOptions,
  ) {}

  start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.opts.heartbeatMs);
    this.timer.unref();
    return this.tick();
  }

  /** One heartbeat/reap/reconcile round; concurrent calls share the round in progress. */
  tick(): Promise<void> {
    this.running ??= this.round()
      .catch((err: unknown) => {
        if (!(err instanceof RegistryUnavailableError)) return this.opts.log.error({ err }, 'cluster round failed');
        if (!this.redisDown) this.opts.log.warn({ reason: err.message }, 'redis unreachable: cluster heartbeat paused');
        this.redisDown = true;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    const missing = await this.registry.heartbeat();
    const first = this.beats++ === 0;
    const interrupted = this.redisDown || (missing && !first) || this.registry.dirty;
    if (first || interrupted) this.upSince = Date.now();
    if (this.redisDown) this.opts.log.info('redis reachable again');
    this.redisDown = false;
    if (interrupted) await this.reconcile(missing && !first);
    // After an outage every node's last heartbeat is old: judge nobody dead until all live nodes
    // have had reapAfterMs to beat again (else a Redis restart would "kill" the whole cluster).
    if (Date.now() - this.upSince < this.opts.reapAfterMs) return;
    const reaped = await this.registry.reap(this.opts.reapAfterMs);
    for (const p of reaped) this.io.to(roomKey(p.room)).emit('peer-left', { id: p.peerId });
    if (reaped.length) {
      const nodes = [...new Set(reaped.map((p) => p.node))];
      this.opts.log.warn({ nodes, peers: reaped.length }, 'removed the peers of dead nodes');
    }
  }

  private async reconcile(lostState: boolean): Promise<void> {
    this.registry.dirty = false;
    const live = new Set<string>();
    for (const s of this.io.of('/').sockets.values()) if (s.data.room && s.data.peerId) live.add(`${s.data.room}\n${s.data.peerId}`);
    const { readded, full } = await this.registry.reassert(this.opts.roomCapacity, (room, id) => live.has(`${room}\n${id}`));
    for (const { room, peer } of readded) {
      this.io.to(roomKey(room)).except(peerKey(peer.id)).emit('peer-joined', { ...peer, resumed: true });
    }
    for (const { room, peer } of full) this.opts.log.warn({ room, peerId: peer.id }, 'could not re-assert a peer: room full');
    const left = await this.registry.retryFailedLeaves();
    for (const d of left) this.io.to(roomKey(d.room)).emit('peer-left', { id: d.peerId });
    this.opts.log.info({ lostState, readded: readded.length, departed: left.length }, 'reconciled with redis');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
