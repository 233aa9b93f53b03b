/** `leave`: leave the current room at once (no resume grace). */
import { fail } from '../../protocol/index.js';
import type { Handler } from '../context.js';
import { leaveCurrentRoom } from '../membership.js';

export const leave: Handler<unknown> = async (socket, _req, ctx) => {
  if (!(await leaveCurrentRoom(ctx, socket))) return fail('not-in-room', 'not in a room');
  return { ok: true };
};
