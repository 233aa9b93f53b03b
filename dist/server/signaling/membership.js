import { roomKey } from './context.js';
/** Removes `peerId` from `room` and tells the others. */
export async function depart(ctx, room, peerId) {
    if (await ctx.registry.leave(room, peerId)) {
        ctx.io.to(roomKey(room)).emit('peer-left', { id: peerId });
        ctx.log.debug({ room, peerId }, 'peer left');
    }
}
/** The socket leaves its current room now (explicit leave, or moving to another room). */
export async function leaveCurrentRoom(ctx, socket) {
    const { room, peerId } = socket.data;
    if (!room || !peerId)
        return false;
    socket.data.room = undefined;
    socket.leave(roomKey(room));
    await depart(ctx, room, peerId);
    return true;
}
//# sourceMappingURL=membership.js.map