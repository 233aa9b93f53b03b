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

/**
 * How long `ice-servers` may take during an ICE restart before the signaling connection counts as
 * dead: several round trips even over a 100 ms path. A false alarm costs a reconnect with
 * `resume`; a late one delays the restart offer (after a NAT rebinding in the NAT suite the old
 * socket stayed silent until this fired, and the restart with it).
 */
export const SIGNALING_PROBE_MS = 750;

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
   * Fresh ICE servers for an ICE restart (ice-restart.ts). The request doubles as a probe of the
   * signaling connection: a network change often leaves a socket that looks connected and
   * carries nothing until its ping timeout (tens of seconds). No answer within `probeMs`:
   * reconnect now (the room resumes; the restart's signals wait in its outbox), and restart with
   * the cached servers. The restart waits for this verdict even when the cached credentials are
   * still good: its offer must not go into a dead socket that looks alive (tried: with cached
   * credentials used at once, 4 of 12 NAT-suite restarts lost their offer and were replaced).
   */
  async forRestart(src: IceServersSource, probeMs = SIGNALING_PROBE_MS): Promise<IceServer[]> {
    if (!src.connected) return this.servers;
    const res = await src.iceServers(probeMs);
    if (res.ok) {
      this.set(res.iceServers);
      return res.iceServers;
    }
    if (res.error.code === 'unavailable') src.recycle();
    return this.servers;
  }
}
