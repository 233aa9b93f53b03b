/**
 * The ICE servers (TURN credentials) a client last received, and until when a new connection may
 * reuse them instead of asking the server again: every `ice-servers` round trip sits on the call
 * setup path of the side that answers.
 */
import type { IceServer, IceServersAck } from '../../../server/protocol/events.js';
import { restExpiry } from '../../../turn/auth/rest-username.js';

/** How long a list whose credentials carry no expiry (static TURN users, STUN only) is reused. */
export const NO_EXPIRY_REUSE_MS = 60_000;

/** The expiry (ms) of a TURN REST username (`<unix expiry seconds>:<id>`), or null. */
export function restExpiryMs(username: string | undefined): number | null {
  const s = username === undefined ? undefined : restExpiry(username);
  return s === undefined ? null : s * 1000;
}

/**
 * Until when servers received at `at` may be reused. A REST credential is reused for the first half
 * of the lifetime it had when it arrived (expiry - at, as this client's clock sees it): at the
 * server's default TTL (1 h) that is 30 min, still leaving half the lifetime for the TURN
 * allocation, and a client clock off by less than the TTL cannot make us reuse an expired one
 * (the skew inflates or shrinks the measured lifetime and the remaining half alike).
 */
export function reusableUntil(servers: IceServer[], at: number): number {
  let until = Infinity;
  for (const s of servers) {
    if (s.username === undefined) continue; // STUN: nothing expires
    const expiry = restExpiryMs(s.username);
    until = Math.min(until, expiry === null ? at + NO_EXPIRY_REUSE_MS : at + (expiry - at) / 2);
  }
  return until === Infinity ? at + NO_EXPIRY_REUSE_MS : until;
}

/** What the cache asks the server through (signaling.ts `SignalingClient`). */
export interface IceServersSource {
  readonly connected: boolean;
  iceServers(timeoutMs?: number): Promise<IceServersAck>;
  /** The connection looks dead: reconnect now. */
  recycle(): void;
}

/** How long `ice-servers` may take during an ICE restart before the signaling connection counts as dead. */
export const SIGNALING_PROBE_MS = 1500;

export class IceCache {
  servers: IceServer[] = [];
  private until = 0;

  set(servers: IceServer[], now = Date.now()): void {
    this.servers = servers;
    this.until = reusableUntil(servers, now);
  }

  /** The cached servers if a new connection may still use them, else null (fetch fresh ones). */
  reusable(now = Date.now()): IceServer[] | null {
    return now < this.until ? this.servers : null;
  }

  /** ICE servers for a new connection: the cached ones while reusable unless `fresh`. */
  async forLink(src: IceServersSource, fresh: boolean): Promise<IceServer[]> {
    const cached = fresh ? null : this.reusable();
    if (cached) return cached;
    const res = await src.iceServers();
    if (res.ok) this.set(res.iceServers);
    return this.servers;
  }

  /**
   * ICE servers for an ICE restart (ice-restart.ts). Cached ones still reusable (the rule of
   * `reusable`: within the first half of their lifetime) are returned at once: an outage is the
   * worst moment to wait for a round trip, and the signaling connection is often the thing that
   * broke (a socket that looks connected and carries nothing until its ping timeout, tens of
   * seconds). The request goes out all the same and doubles as a probe of that connection: no
   * answer within `probeMs` and it is recycled (the room resumes; the restart's signals wait in
   * its outbox); an answer refreshes the cache. Only when nothing reusable is cached does the
   * restart wait for the answer (at most `probeMs`, then the cached servers as they are).
   */
  async forRestart(src: IceServersSource, probeMs = SIGNALING_PROBE_MS): Promise<IceServer[]> {
    if (!src.connected) return this.servers;
    const fresh = src.iceServers(probeMs).then((res) => {
      if (res.ok) this.set(res.iceServers);
      else if (res.error.code === 'unavailable') src.recycle();
      return this.servers;
    }, () => this.servers);
    return this.reusable() ?? fresh;
  }
}
