/**
 * The edge of the signaling protocol: every client event passes through here. For each event:
 * rate limit, argument shape, size, schema (zod), then the handler; events of one socket run one
 * after another, in order. Every failure becomes `{ ok: false, error: { code, message } }`, in the
 * ack when the client gave one, else as a `protocol-error` event. Nothing is dropped silently and
 * nothing a client sends can throw out of here.
 */
import { performance } from 'node:perf_hooks';
import type { ZodType } from 'zod';
import {
  emptyRequest,
  fail,
  joinRequest,
  signalRequest,
  type Ack,
  type ClientEventName,
  type JoinAck,
} from '../protocol/index.js';
import type { Handler, IoSocket, SignalingContext } from './context.js';
import { onDisconnect } from './handlers/disconnect.js';
import { iceServers } from './handlers/ice-servers.js';
import { join } from './handlers/join.js';
import { leave } from './handlers/leave.js';
import { signal, signalTooLarge } from './handlers/signal.js';
import { isPlainCandidateSignal } from '../protocol/fast-candidate.js';
import { RegistryUnavailableError } from './registry.js';
import { TokenBucket } from './token-bucket.js';

interface Route {
  schema: ZodType;
  handler: Handler<never>;
  /** Events whose answer is the point (join, ice-servers) need an ack callback. */
  needsAck: boolean;
  precheck?: (raw: unknown, ctx: SignalingContext) => Ack<object> | undefined;
  /** Recognises, without parsing, payloads `schema` certainly accepts (the hot path skips zod). */
  accepts?: (raw: unknown) => boolean;
}

const routes: Record<ClientEventName, Route> = {
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

const isRoute = (event: string): event is ClientEventName => Object.hasOwn(routes, event);

function describeIssue(err: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const i = err.issues[0];
  if (!i) return 'invalid payload';
  const path = i.path.map(String).join('.');
  return path ? `${path}: ${i.message}` : i.message;
}

/**
 * One event, start to answer. Returns a promise only when a handler went asynchronous; the
 * `signal` hot path answers synchronously, so it costs no promise and no microtask turn. (No
 * closures on that path either: tsx names every named closure with a defineProperty call.)
 */
function run(socket: IoSocket, event: string, args: unknown[], ctx: SignalingContext, bucket: TokenBucket, at: number): Promise<void> | undefined {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as AckFn) : undefined;
  let out: Ack<object> | Promise<Ack<object>>;
  try {
    out = answer(socket, event, ack ? args.slice(0, -1) : args, ack !== undefined, ctx, bucket);
  } catch (err) {
    out = failure(err, socket, event, ctx);
  }
  if (!(out instanceof Promise)) {
    finish(out, socket, event, ack, ctx, at);
    return undefined;
  }
  return out.then(
    (result) => finish(result, socket, event, ack, ctx, at),
    (err: unknown) => finish(failure(err, socket, event, ctx), socket, event, ack, ctx, at),
  );
}

type AckFn = (res: Ack<object>) => void;

/** The answer goes in the ack when the client gave one, else failures become `protocol-error`. */
function finish(result: Ack<object>, socket: IoSocket, event: string, ack: AckFn | undefined, ctx: SignalingContext, at: number): void {
  // Timed before the ack is written: a signal's emit happened in its handler, a join's answer is ready.
  ctx.observer.answered?.(event, result.ok, (performance.now() - at) / 1000);
  if (!result.ok) ctx.observer.error?.(event, result.error.code);
  if (ack) ack(result);
  else if (!result.ok) socket.emit('protocol-error', { event, ...result.error });
}

function failure(err: unknown, socket: IoSocket, event: string, ctx: SignalingContext): Ack<object> {
  if (err instanceof RegistryUnavailableError) return fail('unavailable', 'room state is unreachable right now; retry shortly');
  ctx.log.error({ err, event, socketId: socket.id }, 'handler failed');
  return fail('internal', 'internal server error');
}

function answer(
  socket: IoSocket,
  event: string,
  payload: unknown[],
  hasAck: boolean,
  ctx: SignalingContext,
  bucket: TokenBucket,
): Ack<object> | Promise<Ack<object>> {
  if (!bucket.take()) return fail('rate-limited', 'too many events; slow down');
  if (!isRoute(event)) return fail('bad-request', `unknown event "${event.slice(0, 64)}"`);
  const route = routes[event];
  if (route.needsAck && !hasAck) return fail('bad-request', `"${event}" needs an acknowledgement callback`);
  if (payload.length > 1) return fail('bad-request', `"${event}" takes one payload argument`);
  const raw = payload[0];
  const pre = route.precheck?.(raw, ctx);
  if (pre) return pre;
  if (route.accepts?.(raw)) return (route.handler as Handler<unknown>)(socket, raw, ctx);
  const parsed = route.schema.safeParse(raw);
  if (!parsed.success) return fail('bad-request', describeIssue(parsed.error));
  return (route.handler as Handler<unknown>)(socket, parsed.data, ctx);
}

/**
 * Wires one connected socket: every event through `run`, one at a time, in arrival order. An
 * event that arrives while an asynchronous one is in flight waits its turn; on an idle socket it
 * runs at once.
 */
export function attachSocket(socket: IoSocket, ctx: SignalingContext): void {
  const bucket = new TokenBucket(ctx.config.rateLimit.burst, ctx.config.rateLimit.perSecond);
  const waiting: Array<() => Promise<void> | undefined> = [];
  let busy = false;
  const drain = (): void => {
    for (let task = waiting.shift(); task; task = waiting.shift()) {
      let pending: Promise<void> | undefined;
      try {
        pending = task();
      } catch (err) {
        ctx.log.error({ err }, 'socket task failed');
      }
      if (pending) {
        pending.catch((err: unknown) => ctx.log.error({ err }, 'socket task failed')).finally(drain);
        return;
      }
    }
    busy = false;
  };
  const enqueue = (task: () => Promise<void> | undefined): void => {
    waiting.push(task);
    if (busy) return;
    busy = true;
    drain();
  };
  // A join in the handshake (`auth.join`, see protocol/events.ts) goes first, through the same
  // edge as the `join` event (rate limit, schema, handler); its answer is the `joined` event.
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  if (auth && Object.hasOwn(auth, 'join')) {
    const reply = (res: Ack<object>) => void socket.emit('joined', res as JoinAck);
    const at = performance.now();
    enqueue(() => run(socket, 'join', [auth.join, reply], ctx, bucket, at));
  }
  socket.onAny((event: string, ...args: unknown[]) => {
    const at = performance.now();
    enqueue(() => run(socket, event, args, ctx, bucket, at));
  });
  socket.on('disconnect', (reason) => enqueue(() => onDisconnect(socket, reason, ctx)));
}
