/**
 * ICE restart in place (RFC 8445 section 9): a link that has connected and then loses its path
 * (ICE `failed`, or `disconnected` for longer than a grace, or the page's network changed) keeps
 * its RTCPeerConnection, and with it DTLS, SCTP, the data channels and the media tracks. The
 * initiator restarts ICE (fresh TURN credentials, then an offer with new ICE credentials); the
 * other side fetches fresh credentials too and asks the initiator over signaling
 * (`{ iceRestart: true }`), since the data channel may be unusable. A restart that has not
 * connected within a bound falls back to replacing the connection (room-core.ts), as a failed
 * link always was. No DOM: the room passes what it needs (`RestartHost`).
 */
import type { IceServer } from '../../../server/protocol/events.js';
import type { PeerLink } from './peer-link.js';
import type { PeerEntry } from './room-types.js';
import { cancel, type Timer } from './timers.js';

/**
 * How long ICE may stay `disconnected` before a restart (it may come back by itself). Short:
 * Chromium reports `disconnected` only after some 2-3 s without answers already, and a restart in
 * place is cheap (the old pair keeps carrying data while the new checks run). Measured in
 * test/nat/recovery.test.ts (docs/web.md, "How a call recovers").
 */
export const ICE_DISCONNECTED_GRACE_MS = 1000;
/** A restart not connected this long after it began is given up for a new connection. */
export const ICE_RESTART_TIMEOUT_MS = 10_000;
/**
 * A peer that sends audio or video (it says so in its `media` message) delivers packets all the
 * time: none on the selected pair for this long means the path is gone, seconds before ICE says
 * `disconnected` (Chromium waits for several unanswered consent checks). A restart then.
 */
export const MEDIA_STALL_MS = 1000;
/** After a restart for stalled media, the next one for that reason waits at least this long. */
const STALL_AGAIN_MS = 5000;
/** A second trigger this soon after a restart began (the peer's request, `online` and `connection` change at once) is the same restart. */
const SAME_RESTART_MS = 1000;

/** What started a restart. */
export type RestartReason = 'ice-failed' | 'ice-disconnected' | 'media-stalled' | 'network-change' | 'peer-asked';

/** One step of a link's recovery, as the room reports it. */
export interface RecoveryEvent {
  peerId: string;
  /** `restarting`: under way; `recovered`: connected again on the same connection; `replaced`: given up for a new one. */
  phase: 'restarting' | 'recovered' | 'replaced';
  reason: RestartReason;
  /** Since the restart began, ms (0 for `restarting`). */
  ms: number;
}

/** Restarts so far in a room, by outcome. */
export interface RestartCounts {
  /** ICE restarts begun (one per link and loss of path; a repeat while one is under way is not counted). */
  started: number;
  /** Connected again on the same connection. */
  recovered: number;
  /** Not connected within the bound: the connection was replaced. */
  replaced: number;
}

export interface RestartHost {
  /** Fresh ICE servers (new TURN credentials); the cached ones when the server does not answer. */
  freshIceServers(): Promise<IceServer[]>;
  /** Sends the initiator `{ iceRestart: true }` over signaling. */
  askInitiator(e: PeerEntry): void;
  /** The restart did not connect in time: replace the link as a failed one. */
  giveUp(e: PeerEntry, link: PeerLink, error: string): void;
  recovery(ev: RecoveryEvent): void;
}

export interface RestartOptions {
  graceMs?: number | undefined;
  timeoutMs?: number | undefined;
  now?: () => number;
}

interface Restart {
  link: PeerLink;
  reason: RestartReason;
  startedAt: number;
  /** The last time this side (re)started it: see SAME_RESTART_MS. */
  triggeredAt: number;
  /** The remote ICE credentials when it began: new ones mean the restart was negotiated. */
  ufrag: string | null;
  /** ICE left `connected` since it began (so `connected` again is the path coming back). */
  down: boolean;
  bound: Timer;
}

/** The ICE restarts of one room's links. */
export class IceRestarts {
  readonly counts: RestartCounts = { started: 0, recovered: 0, replaced: 0 };
  private readonly restarts = new Map<PeerEntry, Restart>();
  private readonly graces = new Map<PeerEntry, { link: PeerLink; timer: Timer }>();
  /** Per link: received bytes of the selected pair when they last grew, and when (see `onStats`). */
  private readonly inbound = new Map<PeerEntry, { link: PeerLink; bytes: number; at: number; lastStall: number }>();
  private readonly graceMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly host: RestartHost,
    o: RestartOptions = {},
  ) {
    this.graceMs = o.graceMs ?? ICE_DISCONNECTED_GRACE_MS;
    this.timeoutMs = o.timeoutMs ?? ICE_RESTART_TIMEOUT_MS;
    this.now = o.now ?? (() => Date.now());
  }

  /** Whether `e`'s link is restarting ICE now. */
  restarting(e: PeerEntry): boolean {
    return this.restarts.get(e)?.link === e.link && e.link !== null;
  }

  /** The link's ICE state changed. */
  onIce(e: PeerEntry, link: PeerLink, state: string): void {
    if (e.link !== link || link.state !== 'connected') return;
    const r = this.restarts.get(e);
    if (state === 'connected' || state === 'completed') {
      this.stopGrace(e);
      if (r?.link === link && (r.down || link.remoteUfrag !== r.ufrag)) this.recovered(e, r);
      return;
    }
    if (r?.link === link) r.down = true;
    if (state === 'failed') {
      this.stopGrace(e);
      void this.restart(e, 'ice-failed');
    } else if (state === 'disconnected' && !r && !this.graces.has(e)) {
      const timer = setTimeout(() => {
        this.graces.delete(e);
        if (e.link === link && link.iceState === 'disconnected') void this.restart(e, 'ice-disconnected');
      }, this.graceMs);
      this.graces.set(e, { link, timer });
    }
  }

  /**
   * A sample of what a connected link has received: the selected pair's byte count from the
   * stats poll, or the media mark (media-watch.ts), read every 250 ms; one source per link.
   * `flowing` when the peer says it sends audio or video. No change for MEDIA_STALL_MS while it
   * should be flowing: restart (see MEDIA_STALL_MS).
   */
  onStats(e: PeerEntry, link: PeerLink, bytesReceived: number, flowing: boolean): void {
    if (e.link !== link || this.restarting(e)) return;
    const now = this.now();
    const seen = this.inbound.get(e);
    if (!flowing || !seen || seen.link !== link || bytesReceived !== seen.bytes) {
      this.inbound.set(e, { link, bytes: bytesReceived, at: now, lastStall: seen?.link === link ? seen.lastStall : 0 });
      return;
    }
    if (now - seen.at < MEDIA_STALL_MS || now - seen.lastStall < STALL_AGAIN_MS) return;
    seen.lastStall = now;
    void this.restart(e, 'media-stalled');
  }

  /** The remote side's offer or answer brought new ICE credentials: the restart is negotiated. */
  onRemoteIce(e: PeerEntry, link: PeerLink): void {
    const r = this.restarts.get(e);
    if (r?.link === link && (link.iceState === 'connected' || link.iceState === 'completed') && link.remoteUfrag !== r.ufrag) this.recovered(e, r);
  }

  /** The page's network changed (`online`, `navigator.connection`): every connected link restarts. */
  onNetworkChange(entries: Iterable<PeerEntry>): void {
    for (const e of entries) void this.restart(e, 'network-change');
  }

  /** The peer asked this side, its initiator, to restart (`{ iceRestart: true }`). */
  onRequest(e: PeerEntry): void {
    if (e.link?.initiator) void this.restart(e, 'peer-asked');
  }

  /** The peer resumed its signaling session: what this side sent it meanwhile may be lost. */
  onPeerResumed(e: PeerEntry): void {
    const r = this.restarts.get(e);
    if (r && r.link === e.link) void this.restart(e, r.reason);
  }

  /** `e`'s link is gone (replaced, closed): its restart, if any, with it. */
  forget(e: PeerEntry): void {
    this.stopGrace(e);
    if (this.inbound.get(e)?.link !== e.link) this.inbound.delete(e);
    const r = this.restarts.get(e);
    if (r) r.bound = cancel(r.bound);
    this.restarts.delete(e);
  }

  stop(): void {
    for (const e of [...this.restarts.keys(), ...this.graces.keys()]) this.forget(e);
    this.inbound.clear();
  }

  private async restart(e: PeerEntry, reason: RestartReason): Promise<void> {
    const link = e.link;
    if (!link || link.state !== 'connected' || !link.canRestart) return;
    const now = this.now();
    let r = this.restarts.get(e);
    if (r && r.link === link && now - r.triggeredAt < SAME_RESTART_MS) return;
    if (!r || r.link !== link) {
      this.forget(e);
      r = { link, reason, startedAt: now, triggeredAt: now, ufrag: link.remoteUfrag, down: !isUp(link.iceState), bound: null };
      const started = r;
      r.bound = setTimeout(() => this.timedOut(e, started), this.timeoutMs);
      this.restarts.set(e, r);
      this.counts.started++;
      e.conn = 'reconnecting';
      this.host.recovery({ peerId: e.id, phase: 'restarting', reason, ms: 0 });
    }
    r.triggeredAt = now;
    const servers = await this.host.freshIceServers();
    if (this.restarts.get(e) !== r || e.link !== link) return; // recovered, replaced or gone meanwhile
    if (!link.restartIce(servers)) return this.timedOut(e, r, 'this connection cannot restart ICE');
    if (!link.initiator) this.host.askInitiator(e);
  }

  private recovered(e: PeerEntry, r: Restart): void {
    this.forget(e);
    this.counts.recovered++;
    e.conn = 'connected';
    e.error = null;
    this.host.recovery({ peerId: e.id, phase: 'recovered', reason: r.reason, ms: this.now() - r.startedAt });
  }

  private timedOut(e: PeerEntry, r: Restart, why?: string): void {
    if (this.restarts.get(e) !== r) return;
    this.forget(e);
    if (e.link !== r.link) return;
    this.counts.replaced++;
    this.host.recovery({ peerId: e.id, phase: 'replaced', reason: r.reason, ms: this.now() - r.startedAt });
    this.host.giveUp(e, r.link, why ?? `ICE restart (${r.reason}) did not connect within ${this.timeoutMs} ms`);
  }

  private stopGrace(e: PeerEntry): void {
    const g = this.graces.get(e);
    if (g) cancel(g.timer);
    this.graces.delete(e);
  }
}

const isUp = (ice: string) => ice === 'connected' || ice === 'completed';
