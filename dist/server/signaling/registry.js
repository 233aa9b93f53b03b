export class MemoryRegistry {
    rooms = new Map();
    async join(room, peer, capacity) {
        let members = this.rooms.get(room);
        const rejoined = members?.has(peer.id) ?? false;
        if (!rejoined && members && members.size >= capacity)
            return { ok: false, reason: 'room-full' };
        if (!members)
            this.rooms.set(room, (members = new Map()));
        const peers = [...members.values()].filter((p) => p.id !== peer.id);
        members.set(peer.id, { id: peer.id, name: peer.name });
        return { ok: true, peers, rejoined };
    }
    async leave(room, peerId) {
        const members = this.rooms.get(room);
        if (!members?.delete(peerId))
            return false;
        if (members.size === 0)
            this.rooms.delete(room);
        return true;
    }
    async get(room, peerId) {
        return this.rooms.get(room)?.get(peerId);
    }
    async members(room) {
        return [...(this.rooms.get(room)?.values() ?? [])];
    }
    async counts() {
        let peers = 0;
        for (const m of this.rooms.values())
            peers += m.size;
        return { rooms: this.rooms.size, peers };
    }
    async close() {
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
//# sourceMappingURL=registry.js.map