/** `signal { to, data }`: forward SDP/ICE/renegotiation data to a peer of the same room. */
import { fail, type Ack, type SignalRequest } from '../../protocol/index.js';
import { isPlainObject } from '../../protocol/plain-object.js';
import { peerKey, type Handler, type SignalingContext } from '../context.js';

const OK: Ack<object> = Object.freeze({ ok: true as const });

export const signal: Handler<SignalRequest> = (socket, req, ctx) => {
  const { room, peerId } = socket.data;
  if (!room || !peerId) return fail('not-in-room', 'join a room before sending signals');
  if (req.to === peerId) return fail('unknown-peer', 'a peer cannot signal itself');
  const msg = { from: peerId, data: req.data };
  // Every ICE candidate comes through here. A live socket on this node that is in the room is
  // proof of membership, so the common case needs no registry lookup (a Redis round trip in a
  // cluster) and completes synchronously.
  const local = ctx.sessions.socketOf(req.to);
  if (local && local.data.room === room) {
    local.emit('signal', msg);
    return relayed(ctx, false);
  }
  return ctx.registry.get(room, req.to).then((member) => {
    if (!member) return fail('unknown-peer', `no peer "${req.to}" in room "${room}"`);
    // A peer on another node (cluster: the adapter carries it), or one waiting out its resume grace.
    ctx.io.to(peerKey(req.to)).emit('signal', msg);
    return relayed(ctx, true);
  });
};

function relayed(ctx: SignalingContext, crossNode: boolean): Ack<object> {
  ctx.observer.signalRelayed?.(crossNode);
  return OK;
}

/**
 * Size check before schema validation, so an oversized payload is `too-large` rather than a
 * confusing schema error. Measured as the JSON the server would forward. Serialising every
 * signal to learn its size costs more than relaying it, so a cheap upper bound comes first and
 * the exact figure is computed only for payloads the bound cannot clear.
 */
export function signalTooLarge(raw: unknown, maxBytes: number): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('data' in raw)) return undefined;
  const data = (raw as { data: unknown }).data;
  if (jsonBytesAtMost(data, maxBytes)) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(data) ?? '');
  return bytes > maxBytes ? `signal data is ${bytes} bytes; the limit is ${maxBytes}` : undefined;
}

/** Longest JSON text of a number (e.g. -1.2345678901234567e-308). */
const NUMBER_JSON_MAX = 24;
/** Values visited before giving up on the bound (deep or wide payloads take the exact path). */
const WALK_BUDGET = 256;

/**
 * True when `value` serialises to at most `limit` bytes of JSON, by a bound that never
 * underestimates: a string of n UTF-16 units is at most 6n + 2 bytes (`\u001f` escapes; any
 * other unit is at most 3 bytes of UTF-8). False means "not proven", not "too large".
 */
export function jsonBytesAtMost(value: unknown, limit: number): boolean {
  return walk(value, { budget: WALK_BUDGET, total: 0, limit });
}

/** One step of the bound; a module function, not a closure (the hot path creates none). */
function walk(v: unknown, st: { budget: number; total: number; limit: number }): boolean {
  if (--st.budget < 0) return false;
  switch (typeof v) {
    case 'string':
      st.total += 6 * v.length + 2;
      break;
    case 'number':
      st.total += NUMBER_JSON_MAX;
      break;
    case 'boolean':
    case 'undefined':
      st.total += 5;
      break;
    case 'object': {
      if (v === null) {
        st.total += 4;
        break;
      }
      if (Array.isArray(v)) {
        st.total += 2 + v.length;
        for (const x of v) if (!walk(x, st)) return false;
        break;
      }
      if (!isPlainObject(v)) return false; // toJSON, Dates, ...: exact path
      st.total += 2;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        st.total += 6 * k.length + 4;
        if (!walk((v as Record<string, unknown>)[k], st)) return false;
      }
      break;
    }
    default:
      return false;
  }
  return st.total <= st.limit;
}
