/**
 * The ICE servers (TURN credentials) a client last received, and until when a new connection may
 * reuse them instead of asking the server again: every `ice-servers` round trip sits on the call
 * setup path of the side that answers.
 */
import type { IceServer } from '../../../server/protocol/events.js';
/** How long a list whose credentials carry no expiry (static TURN users, STUN only) is reused. */
export declare const NO_EXPIRY_REUSE_MS = 60000;
/** The expiry (ms) of a TURN REST username (`<unix expiry seconds>:<id>`), or null. */
export declare function restExpiryMs(username: string | undefined): number | null;
/**
 * Until when servers received at `at` may be reused. A REST credential is reused for the first half
 * of the lifetime it had when it arrived (expiry - at, as this client's clock sees it): at the
 * server's default TTL (1 h) that is 30 min, still leaving half the lifetime for the TURN
 * allocation, and a client clock off by less than the TTL cannot make us reuse an expired one
 * (the skew inflates or shrinks the measured lifetime and the remaining half alike).
 */
export declare function reusableUntil(servers: IceServer[], at: number): number;
export declare class IceCache {
    servers: IceServer[];
    private until;
    set(servers: IceServer[], now?: number): void;
    /** The cached servers if a new connection may still use them, else null (fetch fresh ones). */
    reusable(now?: number): IceServer[] | null;
}
