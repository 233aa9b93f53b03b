import { rendezvousPick } from './rendezvous.js';
import { mintTurnCredentials } from './turn-rest.js';
/** "turn:host:port?transport=x" -> "host" (IPv6 hosts keep their brackets). */
export function urlHost(url) {
    const rest = url.replace(/^(stun|turns?):/, '');
    const m = /^(\[[^\]]+\]|[^:?]+)/.exec(rest);
    return m ? m[1] : rest;
}
export function groupRelays(urls) {
    const byHost = new Map();
    for (const u of urls) {
        const h = urlHost(u);
        const list = byHost.get(h) ?? [];
        list.push(u);
        byHost.set(h, list);
    }
    return [...byHost].map(([host, list]) => ({ host, urls: list }));
}
function hostPart(ip) {
    return ip.includes(':') ? `[${ip}]` : ip;
}
export function embeddedRelayUrls(publicIp, addrs) {
    const h = hostPart(publicIp);
    const turn = [`turn:${h}:${addrs.udp.port}?transport=udp`, `turn:${h}:${addrs.tcp.port}?transport=tcp`];
    if (addrs.tls)
        turn.push(`turns:${h}:${addrs.tls.port}?transport=tcp`);
    return { stun: [`stun:${h}:${addrs.udp.port}`], turn };
}
export class IceServerBuilder {
    cfg;
    embedded;
    relays;
    constructor(cfg, 
    /** Bound addresses of the embedded relay, when it runs. */
    embedded) {
        this.cfg = cfg;
        this.embedded = embedded;
        this.relays = cfg.turnUrls ? groupRelays(cfg.turnUrls) : [];
    }
    /** The relay group a room is assigned to (undefined with the embedded relay only). */
    relayFor(room) {
        return rendezvousPick(room, this.relays, (r) => r.host);
    }
    build(room, peerId, nowMs = Date.now()) {
        let stun = [];
        let turn = [];
        const chosen = this.relayFor(room);
        if (chosen) {
            turn = chosen.urls.filter((u) => u.startsWith('turn'));
            const plain = turn.find((u) => u.startsWith('turn:'));
            if (plain)
                stun = [`stun:${plain.slice(5).split('?')[0]}`];
            stun.push(...chosen.urls.filter((u) => u.startsWith('stun:')));
        }
        else if (this.embedded) {
            ({ stun, turn } = embeddedRelayUrls(this.cfg.publicIp, this.embedded));
        }
        if (this.cfg.stunUrls)
            stun = this.cfg.stunUrls;
        const iceServers = [];
        if (stun.length)
            iceServers.push({ urls: [...new Set(stun)] });
        if (turn.length) {
            const c = mintTurnCredentials(this.cfg.turnSecret, peerId, this.cfg.turnCredentialTtl, nowMs);
            iceServers.push({ urls: turn, username: c.username, credential: c.credential });
        }
        return { iceServers, ttl: this.cfg.turnCredentialTtl };
    }
}
//# sourceMappingURL=ice-servers.js.map