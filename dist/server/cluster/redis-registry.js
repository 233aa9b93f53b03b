import { RegistryUnavailableError } from '../signaling/registry.js';
import { HEARTBEAT, JOIN, LEAVE, REAP } from './scripts.js';
/** Redis answers that mean "not now" rather than "your request is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)/;
function isTransient(err) {
    if (!(err instanceof Error))
        return false;
    if (err.name === 'ReplyError')
        return TRANSIENT_REPLY.test(err.message);
    return true; // connection closed, not writable, command timed out, max retries
}
const splitMember = (m) => {
    const i = m.indexOf('\n');
    return { room: m.slice(0, i), peerId: m.slice(i + 1) };
};
function decodePeer(id, json) {
    const v = JSON.parse(json);
    return { id, name: v.name ?? '' };
}
export class RedisRegistry {
    opts;
    node;
    prefix;
    redis;
    /** The peers this node admitted and has not let go ("room\npeerId"): what it re-asserts. */
    owned = new Map();
    /** Departures that failed while Redis was unreachable: "room\npeerId". */
    failedLeaves = new Set();
    /** Set when a call failed for want of Redis; the cluster node reconciles and clears it. */
    dirty = false;
    constructor(redis, opts) {
        this.opts = opts;
        this.node = opts.node;
        this.prefix = opts.prefix;
        for (const [name, lua] of [['sbJoin', JOIN], ['sbLeave', LEAVE], ['sbHeartbeat', HEARTBEAT], ['sbReap', REAP]]) {
            if (!(name in redis))
                redis.defineCommand(name, { numberOfKeys: 0, lua });
        }
        this.redis = redis;
    }
    async call(op) {
        const why = this.redis.status !== 'ready' ? `redis is ${this.redis.status}` : this.opts.notReady?.();
        if (why) {
            this.dirty = true;
            throw new RegistryUnavailableError(why);
        }
        try {
            return await op(this.redis);
        }
        catch (err) {
            if (!isTransient(err))
                throw err;
            this.dirty = true;
            throw new RegistryUnavailableError(`redis: ${err.message}`);
        }
    }
    async join(room, peer, capacity) {
        const res = await this.run('join', room, peer, capacity);
        if (res === 'moved' || res === 'full')
            return { ok: false, reason: 'room-full' };
        return res;
    }
    async run(mode, room, peer, capacity) {
        const res = (await this.call((r) => r.sbJoin(this.prefix, room, peer.id, peer.name, this.node, capacity, mode)));
        const member = `${room}\n${peer.id}`;
        if (res[0] === 2) {
            this.owned.delete(member);
            return 'moved';
        }
        if (res[0] === 0)
            return 'full';
        this.failedLeaves.delete(member);
        this.owned.set(member, { id: peer.id, name: peer.name });
        const peers = [];
        for (let i = 2; i < res.length; i += 2)
            peers.push(decodePeer(String(res[i]), String(res[i + 1])));
        return { ok: true, peers, rejoined: res[1] === 1 };
    }
    /**
     * Puts back every peer this node owns that Redis lost. A peer with a live socket here is claimed
     * outright; one in its resume grace only if no other node owns it now (it may have resumed
     * there). Returns those put back (their rooms had lost them) and those that no longer fit.
     */
    async reassert(capacity, isLive) {
        const readded = [];
        const full = [];
        for (const [m, peer] of [...this.owned]) {
            const { room } = splitMember(m);
            const res = await this.run(isLive(room, peer.id) ? 'join' : 'assert', room, peer, capacity);
            if (res === 'full')
                full.push({ room, peer });
            else if (res !== 'moved' && !res.rejoined)
                readded.push({ room, peer });
        }
        return { readded, full };
    }
    async leave(room, peerId) {
        this.owned.delete(`${room}\n${peerId}`);
        try {
            return (await this.call((r) => r.sbLeave(this.prefix, room, peerId, this.node))) === 1;
        }
        catch (err) {
            if (err instanceof RegistryUnavailableError)
                this.failedLeaves.add(`${room}\n${peerId}`);
            throw err;
        }
    }
    async get(room, peerId) {
        const v = await this.call((r) => r.hget(`${this.prefix}room:${room}`, peerId));
        return v === null ? undefined : decodePeer(peerId, v);
    }
    async members(room) {
        const all = await this.call((r) => r.hgetall(`${this.prefix}room:${room}`));
        return Object.entries(all).map(([id, json]) => decodePeer(id, json));
    }
    async counts() {
        const [rooms, peers] = await this.call((r) => Promise.all([r.scard(`${this.prefix}rooms`), r.get(`${this.prefix}peers`)]));
        return { rooms, peers: Math.max(0, Number(peers ?? 0)) };
    }
    /** Records this node as alive now; true when it was missing (Redis lost its data, or we were reaped). */
    async heartbeat() {
        const [added] = (await this.call((r) => r.sbHeartbeat(this.prefix, this.node)));
        return added === 1;
    }
    /** Removes the peers of every node silent for `staleMs`; returns them for the announcements. */
    async reap(staleMs) {
        const res = (await this.call((r) => r.sbReap(this.prefix, staleMs)));
        const out = [];
        for (let i = 0; i < res.length; i += 2)
            out.push({ node: res[i], ...splitMember(res[i + 1]) });
        return out;
    }
    /**
     * Retries the departures that failed while Redis was away (a peer that joined again since is no
     * longer listed); returns those that removed a peer.
     */
    async retryFailedLeaves() {
        const done = [];
        for (const m of [...this.failedLeaves]) {
            const { room, peerId } = splitMember(m);
            this.failedLeaves.delete(m);
            if (await this.leave(room, peerId))
                done.push({ room, peerId });
        }
        return done;
    }
    /** Live nodes and their last heartbeat (ms, Redis clock). */
    async nodes() {
        const flat = await this.call((r) => r.zrange(`${this.prefix}nodes`, '0', '-1', 'WITHSCORES'));
        const out = [];
        for (let i = 0; i < flat.length; i += 2)
            out.push({ node: flat[i], lastSeen: Number(flat[i + 1]) });
        return out;
    }
    async close() {
        await this.opts.onClose?.();
    }
}
//# sourceMappingURL=redis-registry.js.map