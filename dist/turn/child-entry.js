import { createRelay } from './relay.js';
function post(m) {
    if (process.connected)
        process.send?.(m);
}
function logAt(level) {
    return (obj, msg) => {
        const o = typeof obj === 'string' ? {} : obj;
        const text = typeof obj === 'string' ? obj : (msg ?? '');
        let safe = {};
        try {
            safe = JSON.parse(JSON.stringify(o, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
        }
        catch {
            // unserializable details are dropped, the message is kept
        }
        post({ t: 'log', level, msg: text, obj: safe });
    };
}
const logger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };
let relay;
async function handle(m) {
    switch (m.t) {
        case 'start':
            if (relay)
                throw new Error('already started');
            relay = createRelay(m.config, { ...m.options, logger });
            relay.on('allocation-created', (e) => post({ t: 'event', name: 'allocation-created', payload: e }));
            relay.on('allocation-deleted', (e) => post({ t: 'event', name: 'allocation-deleted', payload: e }));
            return relay.start();
        case 'stats':
            if (!relay)
                throw new Error('not started');
            return relay.stats();
        case 'stop':
            await relay?.stop();
            setImmediate(() => process.disconnect?.());
            return null;
    }
}
process.on('message', (raw) => {
    handle(raw).then((value) => post({ t: 'reply', id: raw.id, ok: true, value }), (err) => post({ t: 'reply', id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) }));
});
// The parent went away (or asked to stop): release everything; the event loop then empties.
process.on('disconnect', () => {
    void relay?.stop().finally(() => process.exit(0));
    if (!relay)
        process.exit(0);
});
process.on('uncaughtException', (err) => {
    logger.error({ err }, 'turn child: uncaught exception, exiting');
    process.exit(1);
});
//# sourceMappingURL=child-entry.js.map