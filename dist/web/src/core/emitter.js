export class Emitter {
    handlers = new Map();
    on(event, fn) {
        let set = this.handlers.get(event);
        if (!set)
            this.handlers.set(event, (set = new Set()));
        set.add(fn);
        return () => set.delete(fn);
    }
    emit(event, ...args) {
        for (const fn of [...(this.handlers.get(event) ?? [])]) {
            try {
                fn(...args);
            }
            catch (err) {
                console.error(`[switchboard] ${String(event)} handler failed`, err);
            }
        }
    }
}
//# sourceMappingURL=emitter.js.map