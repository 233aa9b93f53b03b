/**
 * The roster rules as pure functions (no sockets, no peers): what to do with a join ack, and with
 * an offer. Room applies them; test/web/roster.test.ts checks them directly.
 */
import type { PeerInfo } from '../../../server/protocol/events.js';
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
export declare function planJoin(selfId: string, listed: PeerInfo[], known: ReadonlyMap<string, KnownPeer>): {
    initiate: string[];
    forget: string[];
};
export type OfferAction = 'renegotiate' | 'ignore' | 'replace';
/**
 * An offer from `from`: the same remote session renegotiates the current connection; a new session
 * is a fresh connection from the initiator (replace ours). If both sides offered at once (glare,
 * e.g. both rejoined at the same time), the lower peer id keeps the initiator role.
 */
export declare function offerAction(link: LinkView | null, session: string | null, selfId: string, from: string): OfferAction;
