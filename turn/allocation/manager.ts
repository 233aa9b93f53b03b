/**
 * All allocations of the relay: by 5-tuple key (client conn key), by relay port (in-process
 * relay-to-relay), count per user (quota), RESERVATION-TOKENs (RFC 8656 section 14.9), and the
 * single sweep that expires allocations, permissions, channels and reservations.
 */
import { EventEmitter } from 'node:events';
import type dgram from 'node:dgram';
import type { AllocationEvent, RelayStats } from '../types.js';
import { addressKey } from '../stun/address.js';
import type { SendBound } from '../transport/send-queue.js';
import type { Allocation, AllocationHost } from './allocation.js';

export type DeleteReason = 'expired' | 'refresh' | 'stop' | 'error' | 'disconnect';

interface Reservation {
  port: number;
  socket: dgram.Socket;
  family: 4 | 6;
  expiresAt: number;
}

export interface ManagerEvents {
  created: [Allocation];
  deleted: [Allocation, DeleteReason];
}

export class AllocationManager extends EventEmitter<ManagerEvents> implements AllocationHost {
  private readonly byKey = new Map<string, Allocation>();
  /** UDP clients by addressKey(ip, port): the ChannelData hot path looks up without a string. */
  private readonly byUdp = new Map<number | string, Allocation>();
  private readonly byPort = new Map<number, Allocation>();
  private readonly perUser = new Map<string, number>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly reservedPorts = new Set<number>();
  /** 5-tuples with an Allocate in progress (socket bind pending): retransmissions are dropped. */
  readonly pending = new Set<string>();

  readonly sendBound: SendBound;

  constructor(
    readonly stats: RelayStats,
    /** Bytes a relay socket may hold queued (kernel refusing sends) before datagrams are dropped. Default 1 MiB. */
    sendQueueLimit = 1 << 20,
    /** How long a datagram from a peer not yet permitted is held (RelayConfig.permissionHoldMs). Default 0: none. */
    readonly permissionHoldMs = 0,
    /** The relay's monotonic clock (ms). */
    readonly now: () => number = () => performance.now(),
  ) {
    super();
    this.sendBound = { limit: sendQueueLimit, stats };
  }

  get(key: string): Allocation | undefined {
    return this.byKey.get(key);
  }

  /** The allocation of the UDP client ip:port (same as get(`udp:${ip}:${port}`)). */
  getUdp(ip: string, port: number): Allocation | undefined {
    return this.byUdp.size ? this.byUdp.get(addressKey(ip, port)) : undefined;
  }

  byRelayPort(port: number): Allocation | undefined {
    return this.byPort.get(port);
  }

  portInUse = (port: number): boolean => this.byPort.has(port) || this.reservedPorts.has(port);

  get size(): number {
    return this.byKey.size;
  }

  /** Allocations and pending Allocates of one user (for TURN_USER_QUOTA). */
  userCount(username: string): number {
    return this.perUser.get(username) ?? 0;
  }

  private readonly openSockets = new Set<dgram.Socket>();

  /** Count a relay socket as open (stats.relaySockets) until `releaseSocket`. */
  trackSocket(s: dgram.Socket): void {
    this.openSockets.add(s);
    this.stats.relaySockets = this.openSockets.size;
  }

  /** Close a relay socket and stop counting it (synchronously, so stats are exact at once). */
  releaseSocket(s: dgram.Socket): void {
    if (this.openSockets.delete(s)) this.stats.relaySockets = this.openSockets.size;
    try {
      s.close();
    } catch {
      // already closed
    }
  }

  add(a: Allocation): void {
    this.byKey.set(a.client.key, a);
    if (a.client.transport === 'udp') this.byUdp.set(addressKey(a.client.ip, a.client.port), a);
    for (const l of a.legs) this.byPort.set(l.port, a);
    this.perUser.set(a.username, this.userCount(a.username) + 1);
    this.stats.allocations = this.byKey.size;
    this.stats.allocationsTotal++;
    this.emit('created', a);
  }

  delete(a: Allocation, reason: DeleteReason): void {
    if (this.byKey.get(a.client.key) !== a) return;
    this.byKey.delete(a.client.key);
    if (a.client.transport === 'udp') this.byUdp.delete(addressKey(a.client.ip, a.client.port));
    for (const l of a.legs) this.byPort.delete(l.port);
    const n = this.userCount(a.username) - 1;
    if (n > 0) this.perUser.set(a.username, n);
    else this.perUser.delete(a.username);
    a.close();
    this.stats.allocations = this.byKey.size;
    this.emit('deleted', a, reason);
  }

  /** Delete every allocation whose client is `connKey` (TCP/TLS connection closed). */
  deleteByConn(connKey: string, reason: DeleteReason): void {
    const a = this.byKey.get(connKey);
    if (a) this.delete(a, reason);
  }

  reserve(token: string, port: number, socket: dgram.Socket, family: 4 | 6, expiresAt: number): void {
    this.reservations.set(token, { port, socket, family, expiresAt });
    this.reservedPorts.add(port);
  }

  /** Take a reservation (the socket moves to the new allocation). */
  takeReservation(token: string, now: number): { port: number; socket: dgram.Socket; family: 4 | 6 } | undefined {
    const r = this.reservations.get(token);
    if (!r) return undefined;
    this.reservations.delete(token);
    this.reservedPorts.delete(r.port);
    if (r.expiresAt <= now) {
      this.releaseSocket(r.socket);
      return undefined;
    }
    return r;
  }

  /** The periodic sweep: allocation lifetime (RFC 8656 section 7), permissions, channels. */
  sweep(now: number): void {
    for (const a of this.byKey.values()) {
      if (a.expiresAt <= now) this.delete(a, 'expired');
      else a.sweep(now);
    }
    for (const [t, r] of this.reservations) {
      if (r.expiresAt <= now) {
        this.reservations.delete(t);
        this.reservedPorts.delete(r.port);
        this.releaseSocket(r.socket);
      }
    }
  }

  /** Count permissions and channels into stats (on demand: stats() calls it, handlers do not). */
  recount(): void {
    let permissions = 0;
    let channels = 0;
    for (const a of this.byKey.values()) {
      permissions += a.permissions.size;
      channels += a.channels.size;
    }
    this.stats.permissions = permissions;
    this.stats.channels = channels;
  }

  deleteAll(reason: DeleteReason): void {
    for (const a of [...this.byKey.values()]) this.delete(a, reason);
    for (const r of this.reservations.values()) this.releaseSocket(r.socket);
    for (const s of this.openSockets) this.releaseSocket(s);
    this.reservations.clear();
    this.reservedPorts.clear();
  }

  all(): IterableIterator<Allocation> {
    return this.byKey.values();
  }
}

export function allocationEvent(a: Allocation): AllocationEvent {
  return { client: a.client.key, relayed: a.relayed, relayedAll: [...a.relayedAll], username: a.username };
}
