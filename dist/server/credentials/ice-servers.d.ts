/**
 * Builds the `iceServers` list a client gets in the join ack and from GET /api/ice-servers.
 *
 * - Embedded relay (no TURN_URLS): STUN and TURN on PUBLIC_IP at the relay's bound ports, over UDP
 *   and TCP, plus `turns:` when the relay has TLS.
 * - TURN_URLS: the URLs are grouped into relays by host (all URLs naming one host are one relay),
 *   and each room gets one relay by rendezvous hashing of the room name, so both sides of a call use
 *   the same relay. STUN_URLS overrides the STUN entry; by default the chosen relay's host and port
 *   serve STUN too (true for the bundled relay and for coturn).
 */
import type { IceServer } from '../protocol/index.js';
import type { RelayAddresses } from '../../turn/types.js';
export interface IceConfig {
    publicIp: string;
    turnSecret: string;
    turnCredentialTtl: number;
    turnUrls?: string[] | undefined;
    stunUrls?: string[] | undefined;
}
export interface RelayGroup {
    host: string;
    urls: string[];
}
/** "turn:host:port?transport=x" -> "host" (IPv6 hosts keep their brackets). */
export declare function urlHost(url: string): string;
export declare function groupRelays(urls: readonly string[]): RelayGroup[];
export declare function embeddedRelayUrls(publicIp: string, addrs: RelayAddresses): {
    stun: string[];
    turn: string[];
};
export declare class IceServerBuilder {
    private readonly cfg;
    /** Bound addresses of the embedded relay, when it runs. */
    private readonly embedded?;
    private readonly relays;
    constructor(cfg: IceConfig, 
    /** Bound addresses of the embedded relay, when it runs. */
    embedded?: RelayAddresses | undefined);
    /** The relay group a room is assigned to (undefined with the embedded relay only). */
    relayFor(room: string): RelayGroup | undefined;
    build(room: string, peerId: string, nowMs?: number): {
        iceServers: IceServer[];
        ttl: number;
    };
}
