import { emptyRequest, fail, joinRequest, signalRequest, } from '../protocol/index.js';
import { onDisconnect } from './handlers/disconnect.js';
import { iceServers } from './handlers/ice-servers.js';
import { join } from './handlers/join.js';
import { leave } from './handlers/leave.js';
import { signal, signalTooLarge } from './handlers/signal.js';
import { isPlainCandidateSignal } from '../protocol/fast-candidate.js';
import { RegistryUnavailableError } from './registry.js';
import { TokenBucket } from './token-bucket.js';
const routes = {
    join: { schema: joinRequest, handler: join, needsAck: true },
    signal: {
        schema: signalRequest,
        handler: signal,
        needsAck: false,
        accepts: isPlainCandidateSignal,
        precheck: (raw, ctx) => {
            const tooLarge = signalTooLarge(raw, ctx.config.signalMaxBytes);
            return tooLarge ? fail('too-large', tooLarge) : undefined;
        },
    },
    leave: { schema: emptyRequest, handler: leave, needsAck: false },
    'ice-servers': { schema: emptyRequest, handler: iceServers, needsAck: true },
};
const isRoute = (event) => Object.hasOwn(routes, event);
function describeIssue(err) {
    const i = err.issues[0];
    if (!i)
        return 'invalid payload';
    const path = i.path.map(String).join('.');
    return path ? `${path}: ${i.message}` : i.message;
}
/**
 * One event, start to answer. Returns a promise only when a handler went asynchronous; the
 * `signal` hot path answers synchronously, so it costs no promise and no microtask turn. (No
 * closures on that path either: tsx names every named closure with a defineProperty call.)
 */
function run(socket, event, args, ctx, bucket) {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? last : undefined;
    let out;
    try {
        out = answer(socket, event, ack ? args.slice(0, -1) : args, ack !== undefined, ctx, bucket);
    }
    catch (err) {
        out = failure(err, socket, event, ctx);
    }
    if (!(out instanceof Promise)) {
        finish(out, socket, event, ack, ctx);
        return undefined;
    }
    return out.then((result) => finish(result, socket, event, ack, ctx), (err) => finish(failure(err, socket, event, ctx), socket, event, ack, ctx));
}
/** The answer goes in the ack when the client gave one, else failures become `protocol-error`. */
function finish(result, socket, event, ack, ctx) {
    if (!result.ok)
        ctx.observer.error?.(event, result.error.code);
    if (ack)
        ack(result);
    else if (!result.ok)
        socket.emit('protocol-error', { event, ...result.error });
}
function failure(err, socket, event, ctx) {
    if (err instanceof RegistryUnavailableError)
        return fail('unavailable', 'room state is unreachable right now; retry shortly');
    ctx.log.error({ err, event, socketId: socket.id }, 'handler failed');
    return fail('internal', 'internal server error');
}
function answer(socket, event, payload, hasAck, ctx, bucket) {
    if (!bucket.take())
        return fail('rate-limited', 'too many events; slow down');
    if (!isRoute(event))
        return fail('bad-request', `unknown event "${event.slice(0, 64)}"`);
    const route = routes[event];
    if (route.needsAck && !hasAck)
        return fail('bad-request', `"${event}" needs an acknowledgement callback`);
    if (payload.length > 1)
        return fail('bad-request', `"${event}" takes one payload argument`);
    const raw = payload[0];
    const pre = route.precheck?.(raw, ctx);
    if (pre)
        return pre;
    if (route.accepts?.(raw))
        return route.handler(socket, raw, ctx);
    const parsed = route.schema.safeParse(raw);
    if (!parsed.success)
        return fail('bad-request', describeIssue(parsed.error));
    return route.handler(socket, parsed.data, ctx);
}
/**
 * Wires one connected socket: every event through `run`, one at a time, in arrival order. An
 * event that arrives while an asynchronous one is in flight waits its turn; on an idle socket it
 * runs at once.
 */
export function attachSocket(socket, ctx) {
    const bucket = new TokenBucket(ctx.config.rateLimit.burst, ctx.config.rateLimit.perSecond);
    const waiting = [];
    let busy = false;
    const drain = () => {
        for (let task = waiting.shift(); task; task = waiting.shift()) {
            let pending;
            try {
                pending = task();
            }
            catch (err) {
                ctx.log.error({ err }, 'socket task failed');
            }
            if (pending) {
                pending.catch((err) => ctx.log.error({ err }, 'socket task failed')).finally(drain);
                return;
            }
        }
        busy = false;
    };
    const enqueue = (task) => {
        waiting.push(task);
        if (busy)
            return;
        busy = true;
        drain();
    };
    // A join in the handshake (`auth.join`, see protocol/events.ts) goes first, through the same
    // edge as the `join` event (rate limit, schema, handler); its answer is the `joined` event.
    const auth = socket.handshake.auth;
    if (auth && Object.hasOwn(auth, 'join')) {
        const reply = (res) => void socket.emit('joined', res);
        enqueue(() => run(socket, 'join', [auth.join, reply], ctx, bucket));
    }
    socket.onAny((event, ...args) => enqueue(() => run(socket, event, args, ctx, bucket)));
    socket.on('disconnect', (reason) => enqueue(() => onDisconnect(socket, reason, ctx)));
}
//# sourceMappingURL=dispatch.js.map