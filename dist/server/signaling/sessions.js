export class Sessions {
    live = new Map();
    pending = new Map();
    socketOf(peerId) {
        return this.live.get(peerId);
    }
    bind(peerId, socket) {
        this.live.set(peerId, socket);
    }
    /** Unbinds only if `socket` is still the one bound (a takeover may have replaced it). */
    unbind(peerId, socket) {
        if (this.live.get(peerId) === socket)
            this.live.delete(peerId);
    }
    scheduleDeparture(peerId, room, delayMs, depart) {
        this.cancelDeparture(peerId);
        const timer = setTimeout(() => {
            this.pending.delete(peerId);
            depart();
        }, delayMs);
        this.pending.set(peerId, { room, timer });
    }
    /** Cancels a waiting departure; returns the room it was for. */
    cancelDeparture(peerId) {
        const p = this.pending.get(peerId);
        if (!p)
            return undefined;
        clearTimeout(p.timer);
        this.pending.delete(peerId);
        return p.room;
    }
    /** Every waiting departure, now (used by shutdown and tests). */
    flush() {
        const out = [...this.pending].map(([peerId, p]) => {
            clearTimeout(p.timer);
            return { peerId, room: p.room };
        });
        this.pending.clear();
        return out;
    }
    get liveCount() {
        return this.live.size;
    }
    get pendingCount() {
        return this.pending.size;
    }
}
//# sourceMappingURL=sessions.js.map