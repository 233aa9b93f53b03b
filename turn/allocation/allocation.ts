/**
 * One allocation (RFC 8656 section 2.2 / 6): the relayed transport address (a UDP socket), its
 * 5-tuple, permissions (section 9) and channel bindings (section 12), lifetime, and the two
 * hot paths:
 *   - `fromPeer`: a datagram arrived on the relayed address -> Data indication or ChannelData
 *     to the client (sections 11.3 and 12.6);
 *   - `toPeer`: data from the client (Send indication or ChannelData) -> the peer, or straight
 *     to the allocation that owns the port when the peer is this server's relay address.
 * Expiry is not timer-driven here: the relay's single sweep calls `sweep(now)`.
 */
import type dgram from 'node:dgram';
import { addressKey } from '../stun/address.js';
import { encodeChannelDataFrom } from '../stun/channel-data.js';
import type { ClientConn } from '../transport/conn.js';
import { boundedSend, type SendBound } from '../transport/send-queue.js';
import type { RelayStats } from '../types.js';
import { encodeDataIndication } from './data-indication.js';
import type { TokenBucket } from './token-bucket.js';

export interface Channel {
  number: number;
  peerIp: string;
  peerPort: number;
  /** addressKey(peerIp, peerPort) */
  peerKey: number | string;
  expiresAt: number;
  /** The peer is this server's relay IP: deliver in-process. */
  local: boolean;
  /** The peer's address family: the relayed address of that family carries its data. */
  family: 4 | 6;
}

/**
 * One relayed transport address of an allocation. A dual allocation (RFC 8656 section 7.2,
 * ADDITIONAL-ADDRESS-FAMILY) has one per family, each its own socket; ports are distinct across
 * the relay's families too, so a port alone names the allocation (in-process delivery).
 */
export interface RelayLeg {
  family: 4 | 6;
  /** The advertised relayed address (XOR-RELAYED-ADDRESS). */
  ip: string;
  port: number;
  socket: dgram.Socket;
}

/** What an allocation needs from the rest of the relay. */
export interface AllocationHost {
  readonly stats: RelayStats;
  /** The allocation owning relay port `port`, for in-process relay-to-relay delivery. */
  byRelayPort(port: number): Allocation | undefined;
  releaseSocket(s: dgram.Socket): void;
  /** The bound on each relay socket's send queue. */
  readonly sendBound: SendBound;
  /** How long a datagram from a peer not yet permitted is held, ms; 0: discarded at once. */
  readonly permissionHoldMs: number;
  /** Monotonic clock, ms. */
  now(): number;
}

/** A datagram held for a permission (fromPeer): at most HOLD_PACKETS and HOLD_BYTES per allocation. */
interface Held {
  ip: string;
  port: number;
  data: Buffer;
  at: number;
}
const HOLD_PACKETS = 8;
const HOLD_BYTES = 8 * 1024;

export class Allocation {
  /** Peer IP -> expiry (ms). */
  readonly permissions = new Map<string, number>();
  readonly channels = new Map<number, Channel>();
  readonly channelByPeer = new Map<number | string, Channel>();
  expiresAt: number;
  /** The Allocate transaction that created this allocation, and its response (retransmissions). */
  createTid = '';
  createResponse: Buffer | undefined;
  closed = false;
  /** Datagrams from peers without a permission yet, oldest first (null: none). */
  private held: Held[] | null = null;
  private heldBytes = 0;
  /** The first relayed address, "ip:port" (IPv6 in brackets), as events report it. */
  readonly relayed: string;
  /** Every relayed address, the same way, in `legs` order (two for a dual allocation). */
  readonly relayedAll: readonly string[];
  /** The relayed address per family: `legs[0]` the one of REQUESTED-ADDRESS-FAMILY, then the additional one. */
  readonly legs: RelayLeg[];
  private readonly v4: RelayLeg | undefined;
  private readonly v6: RelayLeg | undefined;

  constructor(
    private readonly host: AllocationHost,
    readonly client: ClientConn,
    readonly username: string,
    readonly key: Buffer,
    legs: RelayLeg[],
    expiresAt: number,
    readonly bucket: TokenBucket | null,
  ) {
    this.expiresAt = expiresAt;
    this.legs = legs;
    this.v4 = legs.find((l) => l.family === 4);
    this.v6 = legs.find((l) => l.family === 6);
    this.relayedAll = legs.map((l) => (l.family === 6 ? `[${l.ip}]:${l.port}` : `${l.ip}:${l.port}`));
    this.relayed = this.relayedAll[0]!;
    for (const { socket } of legs) {
      socket.on('message', (msg, rinfo) => {
        try {
          this.fromPeer(msg, 0, msg.length, rinfo.address, rinfo.port);
        } catch {
          // Never let a peer's datagram throw out of the socket handler.
        }
      });
      // Send errors on an unconnected UDP socket (e.g. ICMP-driven) must never escape.
      socket.on('error', () => {});
    }
  }

  /** The relayed address of `family`, if the allocation has one. */
  leg(family: 4 | 6): RelayLeg | undefined {
    return family === 4 ? this.v4 : this.v6;
  }

  /**
   * RFC 8656 section 11.3 / 12.6: a datagram from a peer. Without a permission for the peer's IP
   * (section 9) it is held (below), else dropped; dropped over the bandwidth cap; sent as
   * ChannelData when a channel is bound to the peer's transport address, else as a Data
   * indication.
   */
  fromPeer(msg: Buffer, off: number, len: number, ip: string, port: number): void {
    if (this.closed) return;
    if (!this.permissions.has(ip)) return this.hold(msg, off, len, ip, port);
    if (this.bucket && !this.bucket.take(len)) return;
    const ch = this.channelByPeer.size ? this.channelByPeer.get(addressKey(ip, port)) : undefined;
    const out = ch
      ? encodeChannelDataFrom(ch.number, msg, off, len, this.client.stream)
      : encodeDataIndication(ip, port, msg, off, len);
    if (!out) return; // no STUN message can carry it: dropped
    const s = this.host.stats;
    s.packetsToClients++;
    s.bytesToClients += len;
    this.client.send(out);
  }

  /**
   * Client data to a peer (section 10.2 step after validation, section 12.5). The caller has
   * checked the permission. `local` means the peer is this server's relay IP: the datagram is
   * handed to the allocation owning that port inside the process, or dropped when none does.
   */
  toPeer(data: Buffer, off: number, len: number, ip: string, port: number, local: boolean, family: 4 | 6): void {
    // The caller checked the family (443 otherwise); the leg of that family carries the data.
    const leg = family === 4 ? this.v4 : this.v6;
    if (!leg || (this.bucket && !this.bucket.take(len))) return;
    let target: Allocation | undefined;
    // A port on the relay's own address that no allocation owns (or owns in the other family)
    // gets nothing, and is not counted as relayed (the stats report what was actually delivered).
    if (local && !(target = this.host.byRelayPort(port))?.leg(family)) return;
    const s = this.host.stats;
    s.packetsToPeers++;
    s.bytesToPeers += len;
    if (target) target.fromPeer(data, off, len, leg.ip, leg.port);
    else boundedSend(leg.socket, this.host.sendBound, data, off, len, port, ip);
  }

  hasPermission(ip: string): boolean {
    return this.permissions.has(ip);
  }

  /**
   * RFC 8656 section 9: "If no match is found, relaying is not permitted and the server silently
   * discards the UDP datagram." In ICE through TURN the two sides' CreatePermissions race: each
   * side's first checks reach the other's allocation a moment before that allocation's client has
   * learnt of them (through signaling) and permitted them, are discarded, and wait for a
   * retransmission (traced in bench/README.md, "Call setup": one round trip and more of the call's
   * setup). So a datagram without a permission is held up to `permissionHoldMs` (bounded per
   * allocation: HOLD_PACKETS, HOLD_BYTES; beyond, discarded) and delivered only if the
   * allocation's own client, authenticated, permits that very IP in time (`permitted`); otherwise
   * it is discarded as the RFC says. What the permission protects is kept: nothing reaches the
   * client from an address it has not permitted, and a held datagram is one the peer could have
   * sent a moment later and had delivered. docs/turn.md "Permission hold".
   */
  private hold(msg: Buffer, off: number, len: number, ip: string, port: number): void {
    const holdMs = this.host.permissionHoldMs;
    if (holdMs <= 0) return;
    const now = this.host.now();
    this.expireHeld(now);
    const held = (this.held ??= []);
    if (held.length >= HOLD_PACKETS || this.heldBytes + len > HOLD_BYTES) return;
    held.push({ ip, port, data: Buffer.from(msg.subarray(off, off + len)), at: now });
    this.heldBytes += len;
  }

  /** A permission for `ip` was installed (CreatePermission, ChannelBind): deliver what was held for it. */
  permitted(ip: string): void {
    if (!this.held) return;
    this.expireHeld(this.host.now());
    const mine = this.held?.filter((h) => h.ip === ip) ?? [];
    if (!mine.length) return;
    this.held = this.held!.filter((h) => h.ip !== ip);
    for (const h of mine) this.heldBytes -= h.data.length;
    if (!this.held.length) this.held = null;
    for (const h of mine) this.fromPeer(h.data, 0, h.data.length, h.ip, h.port);
  }

  /** Datagrams held at the moment (tests, stats). */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  private expireHeld(now: number): void {
    const held = this.held;
    if (!held) return;
    let i = 0;
    while (i < held.length && now - held[i]!.at > this.host.permissionHoldMs) this.heldBytes -= held[i++]!.data.length;
    if (i) held.splice(0, i);
    if (!held.length) this.held = null;
  }

  /** Drop expired permissions and channels (sections 9 and 12: no refresh -> gone). */
  sweep(now: number): void {
    for (const [ip, exp] of this.permissions) if (exp <= now) this.permissions.delete(ip);
    this.expireHeld(now);
    for (const [n, ch] of this.channels) {
      if (ch.expiresAt <= now) {
        this.channels.delete(n);
        this.channelByPeer.delete(ch.peerKey);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
    this.heldBytes = 0;
    for (const { socket } of this.legs) {
      socket.removeAllListeners('message');
      this.host.releaseSocket(socket);
    }
  }
}
