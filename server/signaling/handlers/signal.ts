/** `signal { to, data }`: forward SDP/ICE/renegotiation data to a peer of the same room. */
import { fail, type SignalRequest } from '../../protocol/index.js';
import { peerKey, type Handler } from '../context.js';

export const signal: Handler<SignalRequest> = async (socket, req, ctx) => {
  const { room, peerId } = socket.data;
  if (!room || !peerId) return fail('not-in-room', 'join a room before sending signals');
  if (req.to === peerId) return fail('unknown-peer', 'a peer cannot signal itself');
  if (!(await ctx.registry.get(room, req.to))) return fail('unknown-peer', `no peer "${req.to}" in room "${room}"`);
  // A peer on this node gets it directly; otherwise the adapter carries it (cluster).
  const local = ctx.sessions.socketOf(req.to);
  if (local) local.emit('signal', { from: peerId, data: req.data });
  else ctx.io.to(peerKey(req.to)).emit('signal', { from: peerId, data: req.data });
  ctx.observer.signalRelayed?.();
  return { ok: true };
};

/**
 * Size check before schema validation, so an oversized payload is `too-large` rather than a
 * confusing schema error. Measured as the JSON the server would forward.
 */
export function signalTooLarge(raw: unknown, maxBytes: number): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('data' in raw)) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify((raw as { data: unknown }).data) ?? '');
  return bytes > maxBytes ? `signal data is ${bytes} bytes; the limit is ${maxBytes}` : undefined;
}
