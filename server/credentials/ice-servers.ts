/**
 * Builds the `iceServers` list a client gets in the join ack and from GET /api/ice-servers.
 *
 * - Embedded relay (no TURN_URLS): STUN and TURN on PUBLIC_IP at the relay's bound ports, over UDP
 *   and TCP, plus `turns:` when the relay has TLS. With several relay workers (TURN_WORKERS), the
 *   ports of one worker, chosen by rendezvous hashing of the room name: both peers of a room meet
 *   in one worker process, where relay-to-relay traffic between them stays in-process.
 * - TURN_URLS: the URLs are grouped into relays by host (all URLs naming one host are one relay),
 *   and each room gets one relay by rendezvous hashing of the room name, so both sides of a call use
 *   the same relay. STUN_URLS overrides the STUN entry; by default the chosen relay's host and port
 *   serve STUN too (true for the bundled relay and for coturn).
 */
import type { IceServer } from '../protocol/index.js';
import type { RelayAddresses } from '../../turn/types.js';
import { rendezvousPick } from './rendezvous.js';
import { mintTurnCredentials } from './turn-rest.js';

export interface IceConfig {
  publicIp: string;
  /** The embedded relay's IPv6 address as clients reach it (PUBLIC_IP6), advertised beside publicIp. */
  publicIp6?: string | undefined;
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
export function urlHost(url: string): string {
  const rest = url.replace(/^(stun|turns?):/, '');
  const m = /^(\[[^\]]+\]|[^:?]+)/.exec(rest);
  return m ? m[1]! : rest;
}

export function groupRelays(urls: readonly string[]): RelayGroup[] {
  const byHost = new Map<string, string[]>();
  for (const u of urls) {
    const h = urlHost(u);
    const list = byHost.get(h) ?? [];
    list.push(u);
    byHost.set(h, list);
  }
  return [...byHost].map(([host, list]) => ({ host, urls: list }));
}

function hostPart(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

export function embeddedRelayUrls(publicIp: string, addrs: RelayAddresses, publicIp6?: string): { stun: string[]; turn: string[] } {
  const stun: string[] = [];
  const turn: string[] = [];
  // A dual-stack relay is reached on either address: both are listed, IPv4 first.
  for (const ip of publicIp6 ? [publicIp, publicIp6] : [publicIp]) {
    const h = hostPart(ip);
    stun.push(`stun:${h}:${addrs.udp.port}`);
    turn.push(`turn:${h}:${addrs.udp.port}?transport=udp`, `turn:${h}:${addrs.tcp.port}?transport=tcp`);
    if (addrs.tls) turn.push(`turns:${h}:${addrs.tls.port}?transport=tcp`);
  }
  return { stun, turn };
}

export class IceServerBuilder {
  private readonly relays: RelayGroup[];

  constructor(
    private readonly cfg: IceConfig,
    /** Bound addresses of the embedded relay, when it runs. */
    private readonly embedded?: RelayAddresses,
  ) {
    this.relays = cfg.turnUrls ? groupRelays(cfg.turnUrls) : [];
  }

  /** The embedded relay's worker a room is assigned to (worker 0 of one); undefined without an embedded relay. */
  workerFor(room: string): { index: number; addresses: RelayAddresses } | undefined {
    if (!this.embedded) return undefined;
    const all = (this.embedded.workers ?? [this.embedded]).map((addresses, index) => ({ index, addresses }));
    return all.length === 1 ? all[0] : rendezvousPick(room, all, (w) => `worker-${w.index}`);
  }

  /** The relay group a room is assigned to (undefined with the embedded relay only). */
  relayFor(room: string): RelayGroup | undefined {
    return rendezvousPick(room, this.relays, (r) => r.host);
  }

  build(room: string, peerId: string, nowMs = Date.now()): { iceServers: IceServer[]; ttl: number } {
    let stun: string[] = [];
    let turn: string[] = [];
    const chosen = this.relayFor(room);
    if (chosen) {
      turn = chosen.urls.filter((u) => u.startsWith('turn'));
      const plain = turn.find((u) => u.startsWith('turn:'));
      if (plain) stun = [`stun:${plain.slice(5).split('?')[0]}`];
      stun.push(...chosen.urls.filter((u) => u.startsWith('stun:')));
    } else if (this.embedded) {
      ({ stun, turn } = embeddedRelayUrls(this.cfg.publicIp, this.workerFor(room)!.addresses, this.cfg.publicIp6));
    }
    if (this.cfg.stunUrls) stun = this.cfg.stunUrls;
    const iceServers: IceServer[] = [];
    if (stun.length) iceServers.push({ urls: [...new Set(stun)] });
    if (turn.length) {
      const c = mintTurnCredentials(this.cfg.turnSecret, peerId, this.cfg.turnCredentialTtl, nowMs);
      iceServers.push({ urls: turn, username: c.username, credential: c.credential });
    }
    return { iceServers, ttl: this.cfg.turnCredentialTtl };
  }
}
