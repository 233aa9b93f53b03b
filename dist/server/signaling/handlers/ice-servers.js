/** `ice-servers`: fresh TURN credentials for the socket's room, before each new peer connection. */
import { fail } from '../../protocol/index.js';
export const iceServers = async (socket, _req, ctx) => {
    const { room, peerId } = socket.data;
    if (!room || !peerId)
        return fail('not-in-room', 'join a room before asking for ICE servers');
    return { ok: true, ...ctx.ice.build(room, peerId) };
};
//# sourceMappingURL=ice-servers.js.map