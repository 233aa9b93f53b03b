/**
 * A socket went away. An explicit client disconnect leaves at once; a dropped transport keeps the
 * peer in its room for RESUME_GRACE_MS, so a client that reconnects and resumes is never seen to
 * leave and its peer connections stay up.
 */
import type { IoSocket, SignalingContext } from '../context.js';
export declare function onDisconnect(socket: IoSocket, reason: string, ctx: SignalingContext): Promise<void>;
