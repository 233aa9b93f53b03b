/**
 * The relayed address families of a relay: `relayIp` (IPv4 or IPv6, TURN_RELAY_IP) and, for a
 * dual-stack relay, `relayIp6` (TURN_RELAY_IP6). Each family's relay sockets bind to its address
 * when that is an address of this host, else (1:1 NAT: the address is only advertised) to the
 * listen address when it is of that family, else to the family's wildcard.
 */
import { isIP, isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { RelayConfig } from './config.js';
import { bindPort, rangePortAllocator, type PortAllocator } from './allocation/port-allocator.js';
import type { ResolvedOptions } from './options.js';
import type { RelayFamily } from './server/context.js';
import { bytesToIpv6, ipv6ToBytes } from './stun/address.js';

function isLocalAddress(ip: string): boolean {
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (i.address === ip) return true;
  }
  return false;
}

/** The canonical spelling (what address attributes decode to), or throws naming the variable. */
function concrete(ip: string, variable: string): string {
  if (!isIP(ip) || ip === '0.0.0.0' || ipv6ToBytes(ip)?.equals(Buffer.alloc(16))) {
    throw new Error(`relay address must be a concrete IP address (${variable}), got ${ip}`);
  }
  return isIPv4(ip) ? ip : bytesToIpv6(ipv6ToBytes(ip)!);
}

/** Builds the families; throws when an address is not concrete or both are of one family. */
export function relayFamilies(config: RelayConfig, opts: ResolvedOptions, portAllocator?: PortAllocator): Map<4 | 6, RelayFamily> {
  const out = new Map<4 | 6, RelayFamily>();
  const entries: Array<[string, string]> = [[config.relayIp, 'TURN_RELAY_IP / PUBLIC_IP']];
  if (config.relayIp6) entries.push([config.relayIp6, 'TURN_RELAY_IP6 / PUBLIC_IP6']);
  for (const [configured, variable] of entries) {
    const ip = concrete(configured, variable);
    const family: 4 | 6 = isIPv4(ip) ? 4 : 6;
    if (out.has(family)) throw new Error(`${variable}: the relay already has an IPv${family} address (${out.get(family)!.ip}); TURN_RELAY_IP6 is for an IPv6 address beside an IPv4 TURN_RELAY_IP`);
    const listenFamily = isIPv4(config.listenIp) ? 4 : 6;
    const bindIp = isLocalAddress(ip) || isLocalAddress(configured) ? configured : listenFamily === family ? config.listenIp : family === 4 ? '0.0.0.0' : '::';
    out.set(family, {
      family,
      ip,
      // The injected allocator (tests) serves the first family.
      allocatePort: (out.size === 0 && portAllocator) || rangePortAllocator(bindIp, config.minPort, config.maxPort, opts.relayBufferSize),
      bindPort: (port) => bindPort(bindIp, port, opts.relayBufferSize),
    });
  }
  return out;
}
