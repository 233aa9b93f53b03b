/**
 * This node's live peers: which socket speaks for a peer id, and the departures waiting out
 * RESUME_GRACE_MS after a socket dropped (so a quick reconnect keeps the peer in its room and the
 * others never see it leave).
 */
import type { IoSocket } from './context.js';
export declare class Sessions {
    private readonly live;
    private readonly pending;
    socketOf(peerId: string): IoSocket | undefined;
    bind(peerId: string, socket: IoSocket): void;
    /** Unbinds only if `socket` is still the one bound (a takeover may have replaced it). */
    unbind(peerId: string, socket: IoSocket): void;
    scheduleDeparture(peerId: string, room: string, delayMs: number, depart: () => void): void;
    /** Cancels a waiting departure; returns the room it was for. */
    cancelDeparture(peerId: string): string | undefined;
    /** Every waiting departure, now (used by shutdown and tests). */
    flush(): Array<{
        peerId: string;
        room: string;
    }>;
    get liveCount(): number;
    get pendingCount(): number;
}
