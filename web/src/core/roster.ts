/**
 * The roster rules as pure functions (no sockets, no peers): what to do with a join ack, and with
 * an offer. Room applies them; test/web/roster.test.ts checks them directly.
 */
import type { PeerInfo } from '../../../server/protocol/events.js';
import type { RetryState } from './retry.js';
import type { PeerEntry } from './room-types.js';

/** A peer as the room first knows it: waiting for a link, nothing received yet. */
export function newPeerEntry(id: string, name: string, retry: RetryState): PeerEntry {
  return { id, name, conn: 'waiting', link: null, stats: null, attempts: 0, error: null, media: { inCall: false, audio: false, video: false }, stream: null, screen: null, protocol: null, answeredAt: 0, retry, timer: null, negotiation: null, queue: null };
}

/** What the rules need to know about an existing connection. */
export interface LinkView {
  live: boolean;
  /** Connected (or young and still negotiating): worth keeping across a signaling reconnect. */
  healthy: boolean;
  initiator: boolean;
  /** SDP session id of the remote side, once its offer or answer arrived. */
  remoteSession: string | null;
}

export interface KnownPeer {
  link: LinkView | null;
  /** A link is being created right now (waiting for ICE servers). */
  pending: boolean;
}

/**
 * After a (re)join: the newcomer initiates to every listed peer, unless a working connection
 * survived the reconnect; peers no longer listed are forgotten unless their connection still works
 * (they may not have rejoined a restarted server yet).
 */
export function planJoin(selfId: string, listed: PeerInfo[], known: ReadonlyMap<string, KnownPeer>): { initiate: string[]; forget: string[] } {
  const ids = new Set(listed.map((p) => p.id).filter((id) => id !== selfId));
  const initiate = [...ids].filter((id) => {
    const k = known.get(id);
    return !k || (!k.link?.healthy && !k.pending);
  });
  const forget = [...known.entries()].filter(([id, k]) => !ids.has(id) && !k.link?.healthy).map(([id]) => id);
  return { initiate, forget };
}

export type OfferAction = 'renegotiate' | 'ignore' | 'replace';

/**
 * An offer from `from`: the same remote session renegotiates the current connection; a new session
 * is a fresh connection from the initiator (replace ours). If both sides offered at once (glare,
 * e.g. both rejoined at the same time), the lower peer id keeps the initiator role.
 */
export function offerAction(link: LinkView | null, session: string | null, selfId: string, from: string): OfferAction {
  if (link?.live && link.remoteSession !== null && link.remoteSession === session) return 'renegotiate';
  if (link?.live && link.initiator && link.remoteSession === null && selfId < from) return 'ignore';
  return 'replace';
}
