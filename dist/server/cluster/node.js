import { peerKey, roomKey } from '../signaling/context.js';
import { RegistryUnavailableError } from '../signaling/registry.js';
export class ClusterNode {
    io;
    registry;
    opts;
    timer;
    running;
    beats = 0;
    redisDown = false;
    /** Since when this node has reached Redis without a break (Date.now()). */
    upSince = 0;
    constructor(io, registry, opts) {
        this.io = io;
        this.registry = registry;
        this.opts = opts;
    }
    start() {
        this.timer = setInterval(() => void this.tick(), this.opts.heartbeatMs);
        this.timer.unref();
        return this.tick();
    }
    /** One heartbeat/reap/reconcile round; concurrent calls share the round in progress. */
    tick() {
        this.running ??= this.round()
            .catch((err) => {
            if (!(err instanceof RegistryUnavailableError))
                return this.opts.log.error({ err }, 'cluster round failed');
            if (!this.redisDown)
                this.opts.log.warn({ reason: err.message }, 'redis unreachable: cluster heartbeat paused');
            this.redisDown = true;
        })
            .finally(() => (this.running = undefined));
        return this.running;
    }
    async round() {
        const missing = await this.registry.heartbeat();
        const first = this.beats++ === 0;
        const interrupted = this.redisDown || (missing && !first) || this.registry.dirty;
        if (first || interrupted)
            this.upSince = Date.now();
        if (this.redisDown)
            this.opts.log.info('redis reachable again');
        this.redisDown = false;
        if (interrupted)
            await this.reconcile(missing && !first);
        // After an outage every node's last heartbeat is old: judge nobody dead until all live nodes
        // have had reapAfterMs to beat again (else a Redis restart would "kill" the whole cluster).
        if (Date.now() - this.upSince < this.opts.reapAfterMs)
            return;
        const reaped = await this.registry.reap(this.opts.reapAfterMs);
        for (const p of reaped)
            this.io.to(roomKey(p.room)).emit('peer-left', { id: p.peerId });
        if (reaped.length) {
            const nodes = [...new Set(reaped.map((p) => p.node))];
            this.opts.log.warn({ nodes, peers: reaped.length }, 'removed the peers of dead nodes');
        }
    }
    async reconcile(lostState) {
        this.registry.dirty = false;
        const live = new Set();
        for (const s of this.io.of('/').sockets.values())
            if (s.data.room && s.data.peerId)
                live.add(`${s.data.room}\n${s.data.peerId}`);
        const { readded, full } = await this.registry.reassert(this.opts.roomCapacity, (room, id) => live.has(`${room}\n${id}`));
        for (const { room, peer } of readded) {
            this.io.to(roomKey(room)).except(peerKey(peer.id)).emit('peer-joined', { ...peer, resumed: true });
        }
        for (const { room, peer } of full)
            this.opts.log.warn({ room, peerId: peer.id }, 'could not re-assert a peer: room full');
        const left = await this.registry.retryFailedLeaves();
        for (const d of left)
            this.io.to(roomKey(d.room)).emit('peer-left', { id: d.peerId });
        this.opts.log.info({ lostState, readded: readded.length, departed: left.length }, 'reconciled with redis');
    }
    async stop() {
        clearInterval(this.timer);
        await this.running;
    }
}
//# sourceMappingURL=node.js.map