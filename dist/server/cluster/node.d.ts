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
import { type IoServer } from '../signaling/context.js';
import type { RedisRegistry } from './redis-registry.js';
export interface ClusterNodeOptions {
    heartbeatMs: number;
    reapAfterMs: number;
    roomCapacity: number;
    log: Logger;
}
export declare class ClusterNode {
    private readonly io;
    private readonly registry;
    private readonly opts;
    private timer;
    private running;
    private beats;
    private redisDown;
    /** Since when this node has reached Redis without a break (Date.now()). */
    private upSince;
    constructor(io: IoServer, registry: RedisRegistry, opts: ClusterNodeOptions);
    start(): Promise<void>;
    /** One heartbeat/reap/reconcile round; concurrent calls share the round in progress. */
    tick(): Promise<void>;
    private round;
    private reconcile;
    stop(): Promise<void>;
}
