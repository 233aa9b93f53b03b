import type { IoSocket, SignalingContext } from './context.js';
/**
 * Wires one connected socket: every event through `run`, one at a time, in arrival order. An
 * event that arrives while an asynchronous one is in flight waits its turn; on an idle socket it
 * runs at once.
 */
export declare function attachSocket(socket: IoSocket, ctx: SignalingContext): void;
