/**
 * A socket went away. An explicit client disconnect leaves at once; a dropped transport keeps the
 * peer in its room for RESUME_GRACE_MS, so a client that reconnects and resumes is never seen to
 * leave and its peer connections stay up.
 */
import type { IoSocket, SignalingContext } from '../context.js';
import { depart } from '../membership.js';

const EXPLICIT = new Set(['client namespace disconnect', 'server namespace disconnect']);

export async function onDisconnect(socket: IoSocket, reason: string, ctx: SignalingContext): Promise<void> {
  const { room, peerId } = socket.data;
  // Unbound whether or not it is in a room: after `leave` the socket keeps its peer id (for its
  // next join) and its binding, and a binding left behind would keep the closed socket for good.
  if (peerId) ctx.sessions.unbind(peerId, socket);
  if (!room || !peerId) return;
  if (ctx.sessions.socketOf(peerId)) return; // another socket took this peer over
  // Shutting down: keep the peer; it resumes on another node (or on this one after a restart).
  if (ctx.state.shuttingDown) return;
  if (EXPLICIT.has(reason) || ctx.config.resumeGraceMs === 0) {
    await depart(ctx, room, peerId);
    return;
  }
  ctx.sessions.scheduleDeparture(peerId, room, ctx.config.resumeGraceMs, () => {
    depart(ctx, room, peerId).catch((err: unknown) => ctx.log.error({ err, room, peerId }, 'departure failed'));
  });
}
