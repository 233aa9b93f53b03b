/** Leaving a room, shared by `leave`, `join` (a move) and disconnect. */
import type { IoSocket, SignalingContext } from './context.js';
/** Removes `peerId` from `room` and tells the others. */
export declare function depart(ctx: SignalingContext, room: string, peerId: string): Promise<void>;
/** The socket leaves its current room now (explicit leave, or moving to another room). */
export declare function leaveCurrentRoom(ctx: SignalingContext, socket: IoSocket): Promise<boolean>;
