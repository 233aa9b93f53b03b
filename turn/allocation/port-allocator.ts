/**
 * Relay port allocation: a UDP socket bound in TURN_MIN_PORT..TURN_MAX_PORT. The search starts at
 * a random port (RFC 8656 section 7.2: relayed ports should be unpredictable), skips ports this
 * relay already holds, and moves on when the kernel says EADDRINUSE (another process). EVEN-PORT
 * restricts the search to even ports (section 14.6). Swappable: the relay takes any function of
 * this shape.
 */
import type dgram from 'node:dgram';
import { createUdpSocket } from '../transport/udp-socket.js';
import { randomInt } from 'node:crypto';

/** A relay port and the UDP socket bound to it. */
export interface BoundPort {
  /** The port number. */
  port: number;
  /** The socket bound to it, which the allocation takes over. */
  socket: dgram.Socket;
}

/**
 * Finds and binds a relay port for a new allocation: an even one when `even` (EVEN-PORT, RFC 8656
 * section 7.2), never one for which `inUse` is true. Resolves null when none is free (the Allocate
 * then fails with 508).
 */
export type PortAllocator = (opts: { even: boolean; inUse: (port: number) => boolean }) => Promise<BoundPort | null>;

function bind(ip: string, port: number, bufferSize: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const s = createUdpSocket(ip, bufferSize);
    const fail = (): void => {
      try {
        s.close();
      } catch {
        // never bound
      }
      resolve(null);
    };
    s.once('error', fail);
    s.bind({ port, address: ip, exclusive: true }, () => {
      s.off('error', fail);
      resolve(s);
    });
  });
}

/** Bind a specific port (used for reservations: the odd port after an even one). */
export function bindPort(ip: string, port: number, bufferSize: number): Promise<dgram.Socket | null> {
  return bind(ip, port, bufferSize);
}

export function rangePortAllocator(ip: string, min: number, max: number, bufferSize: number, maxTries = 64): PortAllocator {
  return async ({ even, inUse }) => {
    const span = max - min + 1;
    const start = randomInt(span);
    let tries = 0;
    for (let i = 0; i < span && tries < maxTries; i++) {
      const port = min + ((start + i) % span);
      if ((even && port % 2 !== 0) || inUse(port)) continue;
      tries++;
      const s = await bind(ip, port, bufferSize);
      if (s) return { port, socket: s };
    }
    return null;
  };
}
