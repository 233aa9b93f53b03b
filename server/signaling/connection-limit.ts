/**
 * Caps concurrent Socket.IO connections per client address (MAX_CONNECTIONS_PER_IP, 0 = off).
 * Behind a proxy (TRUST_PROXY=true) the address is the first X-Forwarded-For entry; an IPv4-mapped
 * IPv6 address is given as the IPv4 address.
 */
import type { Socket } from 'socket.io';

export function clientAddress(socket: Pick<Socket, 'handshake'>, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = socket.handshake.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first;
  }
  // A dual-stack listener (HOST `::`) sees an IPv4 client as `::ffff:a.b.c.d`: one client, one
  // spelling, the same as with HOST 0.0.0.0 (logs, the per-address cap).
  const a = socket.handshake.address;
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a;
}

export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Reserve a slot for `ip`; returns a release function, or undefined when the cap is reached. */
  acquire(ip: string): (() => void) | undefined {
    const n = this.counts.get(ip) ?? 0;
    if (this.max > 0 && n >= this.max) return undefined;
    this.counts.set(ip, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(ip) ?? 1) - 1;
      if (left <= 0) this.counts.delete(ip);
      else this.counts.set(ip, left);
    };
  }

  get size(): number {
    return this.counts.size;
  }
}
