/**
 * This node's live peers: which socket speaks for a peer id, and the departures waiting out
 * RESUME_GRACE_MS after a socket dropped (so a quick reconnect keeps the peer in its room and the
 * others never see it leave).
 */
import type { IoSocket } from './context.js';

interface Pending {
  room: string;
  timer: NodeJS.Timeout;
}

export class Sessions {
  private readonly live = new Map<string, IoSocket>();
  private readonly pending = new Map<string, Pending>();

  socketOf(peerId: string): IoSocket | undefined {
    return this.live.get(peerId);
  }

  bind(peerId: string, socket: IoSocket): void {
    this.live.set(peerId, socket);
  }

  /** Unbinds only if `socket` is still the one bound (a takeover may have replaced it). */
  unbind(peerId: string, socket: IoSocket): void {
    if (this.live.get(peerId) === socket) this.live.delete(peerId);
  }

  scheduleDeparture(peerId: string, room: string, delayMs: number, depart: () => void): void {
    this.cancelDeparture(peerId);
    const timer = setTimeout(() => {
      this.pending.delete(peerId);
      depart();
    }, delayMs);
    this.pending.set(peerId, { room, timer });
  }

  /** Cancels a waiting departure; returns the room it was for. */
  cancelDeparture(peerId: string): string | undefined {
    const p = this.pending.get(peerId);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(peerId);
    return p.room;
  }

  /** Every waiting departure, now (used by shutdown and tests). */
  flush(): Array<{ peerId: string; room: string }> {
    const out = [...this.pending].map(([peerId, p]) => {
      clearTimeout(p.timer);
      return { peerId, room: p.room };
    });
    this.pending.clear();
    return out;
  }

  get liveCount(): number {
    return this.live.size;
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
