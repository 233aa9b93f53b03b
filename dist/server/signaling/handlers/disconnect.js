import { depart } from '../membership.js';
const EXPLICIT = new Set(['client namespace disconnect', 'server namespace disconnect']);
export async function onDisconnect(socket, reason, ctx) {
    const { room, peerId } = socket.data;
    if (!room || !peerId)
        return;
    ctx.sessions.unbind(peerId, socket);
    if (ctx.sessions.socketOf(peerId))
        return; // another socket took this peer over
    // Shutting down: keep the peer; it resumes on another node (or on this one after a restart).
    if (ctx.state.shuttingDown)
        return;
    if (EXPLICIT.has(reason) || ctx.config.resumeGraceMs === 0) {
        await depart(ctx, room, peerId);
        return;
    }
    ctx.sessions.scheduleDeparture(peerId, room, ctx.config.resumeGraceMs, () => {
        depart(ctx, room, peerId).catch((err) => ctx.log.error({ err, room, peerId }, 'departure failed'));
    });
}
//# sourceMappingURL=disconnect.js.map