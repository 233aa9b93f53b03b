/** `leave`: leave the current room at once (no resume grace). */
import { fail } from '../../protocol/index.js';
import { leaveCurrentRoom } from '../membership.js';
export const leave = async (socket, _req, ctx) => {
    if (!(await leaveCurrentRoom(ctx, socket)))
        return fail('not-in-room', 'not in a room');
    return { ok: true };
};
//# sourceMappingURL=leave.js.map