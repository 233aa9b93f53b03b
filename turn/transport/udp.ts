/**
 * The client-facing UDP listener (RFC 8656 section 3.1: UDP on the TURN port).
 *
 * On a wildcard address (0.0.0.0, or :: for both families) one socket is bound per local address
 * of the host instead, on one port: a reply leaves from the socket the request came in on, so its
 * source is the address the client sent to. (A socket bound to the wildcard answers from the
 * address the routing table prefers, e.g. an interface's primary address, and a client that sent
 * to another address of the host drops the answer; Node has no IP_PKTINFO to choose per datagram.)
 * Addresses are read at start; IPv6 link-local addresses (which need a scope) are not served this
 * way, nor are addresses added later, nor a whole prefix routed locally (AnyIP): bind the wildcard
 * itself with `udpPerAddress: false` for those.
 */
import type dgram from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { createUdpSocket } from './udp-socket.js';
import type { Dispatcher } from '../server/dispatcher.js';

function bindOne(ip: string, port: number, bufferSize: number, dispatcher: Dispatcher): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = createUdpSocket(ip, bufferSize);
    s.once('error', reject);
    s.bind({ port, address: ip, exclusive: true }, () => {
      s.off('error', reject);
      s.on('error', () => {});
      s.on('message', (msg, rinfo) => dispatcher.onUdp(s, msg, rinfo.address, rinfo.port));
      resolve(s);
    });
  });
}

/** The host's addresses a wildcard listener covers: IPv4 for 0.0.0.0, both families for ::. */
export function wildcardAddresses(ip: string): string[] {
  const v6 = ip === '::';
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family === 'IPv4') out.add(i.address);
      else if (v6 && !i.scopeid && !/^fe[89ab]/i.test(i.address)) out.add(i.address);
    }
  }
  return [...out];
}

export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/**
 * Bind the UDP listener: `[socket]` on a concrete address (or with `perAddress` false), else one
 * socket per local address, all on one port (the first picks it when `port` is 0). Rejects with
 * the bind error (EADDRINUSE: the caller may retry with another port); an address that vanished
 * meanwhile (EADDRNOTAVAIL) is skipped.
 */
export async function listenUdp(ip: string, port: number, bufferSize: number, dispatcher: Dispatcher, perAddress = true): Promise<dgram.Socket[]> {
  if (!perAddress || !isWildcard(ip)) return [await bindOne(ip, port, bufferSize, dispatcher)];
  const addresses = wildcardAddresses(ip);
  const sockets: dgram.Socket[] = [];
  try {
    for (const a of addresses) {
      try {
        const s = await bindOne(a, sockets.length ? sockets[0]!.address().port : port, bufferSize, dispatcher);
        sockets.push(s);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
      }
    }
  } catch (err) {
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    throw err;
  }
  if (!sockets.length) throw new Error(`no local address to listen on for ${ip}`);
  return sockets;
}
