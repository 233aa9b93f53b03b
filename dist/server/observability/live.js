const KEEP = 120;
export class LiveFeed {
    sources;
    intervalMs;
    ring = [];
    clients = new Set();
    timer;
    seq = 0;
    last;
    constructor(sources, intervalMs = 1000) {
        this.sources = sources;
        this.intervalMs = intervalMs;
    }
    start() {
        if (this.timer)
            return;
        this.timer = setInterval(() => void this.tick(), this.intervalMs);
        this.timer.unref();
    }
    stop() {
        clearInterval(this.timer);
        this.timer = undefined;
        for (const res of this.clients)
            res.end();
        this.clients.clear();
    }
    async tick() {
        try {
            const t = Date.now();
            const [counts, relay] = await Promise.all([this.sources.counts(), this.sources.relay()]);
            const signals = this.sources.signalsTotal();
            const bytes = relay?.bytes ?? 0;
            const dt = this.last ? (t - this.last.t) / 1000 : 0;
            const sample = {
                id: ++this.seq,
                t,
                ...counts,
                signalsPerSec: dt > 0 ? Math.max(0, (signals - this.last.signals) / dt) : 0,
                relayMbps: dt > 0 ? Math.max(0, ((bytes - this.last.bytes) * 8) / dt / 1e6) : 0,
                allocations: relay?.allocations ?? 0,
            };
            this.last = { t, signals, bytes };
            this.ring.push(sample);
            if (this.ring.length > KEEP)
                this.ring.shift();
            for (const res of this.clients)
                write(res, sample);
        }
        catch {
            // A failed sample (relay restarting) is skipped; the next tick tries again.
        }
    }
    /** GET /api/events */
    handle = (req, res) => {
        res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-store',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
        });
        res.write(`retry: 2000\n\n`);
        const lastId = Number(req.get('last-event-id'));
        if (Number.isInteger(lastId) && lastId > 0) {
            for (const s of this.ring)
                if (s.id > lastId)
                    write(res, s);
        }
        else if (this.ring.length) {
            write(res, this.ring[this.ring.length - 1]);
        }
        this.clients.add(res);
        req.on('close', () => this.clients.delete(res));
    };
    get subscribers() {
        return this.clients.size;
    }
}
function write(res, s) {
    res.write(`id: ${s.id}\nevent: sample\ndata: ${JSON.stringify(s)}\n\n`);
}
//# sourceMappingURL=live.js.map