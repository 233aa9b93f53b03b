/** Leaving a room, shared by `leave`, `join` (a move) and disconnect. */
import type { IoSocket, SignalingContext } from './context.js';
import { roomKey } from './context.js';

/** Removes `peerId` from `room` and tells the others. */
export async function depart(ctx: SignalingContext, room: string, peerId: string): Promise<void> {
  if (await ctx.registry.leave(room, peerId)) {
    ctx.io.to(roomKey(room)).emit('peer-left', { id: peerId });
    ctx.log.debug({ room, peerId }, 'peer left');
  }
}

/** The socket leaves its current room now (explicit leave, or moving to another room). */
export async function leaveCurrentRoom(ctx: SignalingContext, socket: IoSocket): Promise<boolean> {
  const { room, peerId } = socket.data;
  if (!room || !peerId) return false;
  socket.data.room = undefined;
  socket.leave(roomKey(room));
  await depart(ctx, room, peerId);
  return true;
}
