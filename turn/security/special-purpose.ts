/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, updated by RFC 8190), as
 * data: every entry with its prefix, name, RFC and "Globally Reachable" value. The peer filter
 * (peer-filter.ts) denies an address when the most specific entry containing it says `false`.
 *
 * Followed: the IPv4 registry as last updated 2024 (latest entry 192.88.99.2/32) and the IPv6
 * registry as last updated 2025-10-09 (latest entries 3fff::/20, 5f00::/16, 100:0:0:1::/64).
 * https://www.iana.org/assignments/iana-ipv4-special-registry and
 * https://www.iana.org/assignments/iana-ipv6-special-registry; an entry added later is one row here.
 *
 * `globallyReachable: 'n/a'` is the registry's N/A (or an empty field of a deprecated entry): such
 * an entry decides nothing, the next less specific entry does (Teredo, inside 2001::/23), or the
 * embedded IPv4 address does (6to4).
 *
 * `BEYOND_REGISTRY` are blocks the registries do not list that a relay must not reach either:
 * multicast (its own registries) and deprecated forms no network routes.
 */

/** One registry entry. */
export interface SpecialPurposeEntry {
  /** Address block, CIDR. */
  prefix: string;
  /** The registry's name of the block. */
  name: string;
  /** The registry's RFC column. */
  rfc: string;
  /** The registry's "Globally Reachable" column (RFC 8190 section 2.1). */
  globallyReachable: boolean | 'n/a';
}

export const SPECIAL_PURPOSE_V4: readonly SpecialPurposeEntry[] = [
  { prefix: '0.0.0.0/8', name: '"This network"', rfc: 'RFC 791 section 3.2', globallyReachable: false },
  { prefix: '0.0.0.0/32', name: '"This host on this network"', rfc: 'RFC 1122 section 3.2.1.3', globallyReachable: false },
  { prefix: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { prefix: '100.64.0.0/10', name: 'Shared Address Space', rfc: 'RFC 6598', globallyReachable: false },
  { prefix: '127.0.0.0/8', name: 'Loopback', rfc: 'RFC 1122 section 3.2.1.3', globallyReachable: false },
  { prefix: '169.254.0.0/16', name: 'Link Local', rfc: 'RFC 3927', globallyReachable: false },
  { prefix: '172.16.0.0/12', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { prefix: '192.0.0.0/24', name: 'IETF Protocol Assignments', rfc: 'RFC 6890 section 2.1', globallyReachable: false },
  { prefix: '192.0.0.0/29', name: 'IPv4 Service Continuity Prefix', rfc: 'RFC 7335', globallyReachable: false },
  { prefix: '192.0.0.8/32', name: 'IPv4 dummy address', rfc: 'RFC 7600', globallyReachable: false },
  { prefix: '192.0.0.9/32', name: 'Port Control Protocol Anycast', rfc: 'RFC 7723', globallyReachable: true },
  { prefix: '192.0.0.10/32', name: 'Traversal Using Relays around NAT Anycast', rfc: 'RFC 8155', globallyReachable: true },
  { prefix: '192.0.0.170/32', name: 'NAT64/DNS64 Discovery', rfc: 'RFC 8880, RFC 7050 section 2.2', globallyReachable: false },
  { prefix: '192.0.0.171/32', name: 'NAT64/DNS64 Discovery', rfc: 'RFC 8880, RFC 7050 section 2.2', globallyReachable: false },
  { prefix: '192.0.2.0/24', name: 'Documentation (TEST-NET-1)', rfc: 'RFC 5737', globallyReachable: false },
  { prefix: '192.31.196.0/24', name: 'AS112-v4', rfc: 'RFC 7535', globallyReachable: true },
  { prefix: '192.52.193.0/24', name: 'AMT', rfc: 'RFC 7450', globallyReachable: true },
  { prefix: '192.88.99.0/24', name: 'Deprecated (6to4 Relay Anycast)', rfc: 'RFC 7526', globallyReachable: 'n/a' },
  { prefix: '192.88.99.2/32', name: '6a44-relay anycast address', rfc: 'RFC 6751', globallyReachable: false },
  { prefix: '192.168.0.0/16', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { prefix: '192.175.48.0/24', name: 'Direct Delegation AS112 Service', rfc: 'RFC 7534', globallyReachable: true },
  { prefix: '198.18.0.0/15', name: 'Benchmarking', rfc: 'RFC 2544', globallyReachable: false },
  { prefix: '198.51.100.0/24', name: 'Documentation (TEST-NET-2)', rfc: 'RFC 5737', globallyReachable: false },
  { prefix: '203.0.113.0/24', name: 'Documentation (TEST-NET-3)', rfc: 'RFC 5737', globallyReachable: false },
  { prefix: '240.0.0.0/4', name: 'Reserved', rfc: 'RFC 1112 section 4', globallyReachable: false },
  { prefix: '255.255.255.255/32', name: 'Limited Broadcast', rfc: 'RFC 8190, RFC 919 section 7', globallyReachable: false },
];

export const SPECIAL_PURPOSE_V6: readonly SpecialPurposeEntry[] = [
  { prefix: '::1/128', name: 'Loopback Address', rfc: 'RFC 4291', globallyReachable: false },
  { prefix: '::/128', name: 'Unspecified Address', rfc: 'RFC 4291', globallyReachable: false },
  { prefix: '::ffff:0:0/96', name: 'IPv4-mapped Address', rfc: 'RFC 4291', globallyReachable: false },
  { prefix: '64:ff9b::/96', name: 'IPv4-IPv6 Translat.', rfc: 'RFC 6052', globallyReachable: true },
  { prefix: '64:ff9b:1::/48', name: 'IPv4-IPv6 Translat.', rfc: 'RFC 8215', globallyReachable: false },
  { prefix: '100::/64', name: 'Discard-Only Address Block', rfc: 'RFC 6666', globallyReachable: false },
  { prefix: '100:0:0:1::/64', name: 'Dummy IPv6 Prefix', rfc: 'RFC 9780', globallyReachable: false },
  { prefix: '2001::/23', name: 'IETF Protocol Assignments', rfc: 'RFC 2928', globallyReachable: false },
  { prefix: '2001::/32', name: 'TEREDO', rfc: 'RFC 4380, RFC 8190', globallyReachable: 'n/a' },
  { prefix: '2001:1::1/128', name: 'Port Control Protocol Anycast', rfc: 'RFC 7723', globallyReachable: true },
  { prefix: '2001:1::2/128', name: 'Traversal Using Relays around NAT Anycast', rfc: 'RFC 8155', globallyReachable: true },
  { prefix: '2001:1::3/128', name: 'DNS-SD Service Registration Protocol Anycast', rfc: 'RFC 9665', globallyReachable: true },
  { prefix: '2001:2::/48', name: 'Benchmarking', rfc: 'RFC 5180, RFC Errata 1752', globallyReachable: false },
  { prefix: '2001:3::/32', name: 'AMT', rfc: 'RFC 7450', globallyReachable: true },
  { prefix: '2001:4:112::/48', name: 'AS112-v6', rfc: 'RFC 7535', globallyReachable: true },
  { prefix: '2001:10::/28', name: 'Deprecated (previously ORCHID)', rfc: 'RFC 4843', globallyReachable: 'n/a' },
  { prefix: '2001:20::/28', name: 'ORCHIDv2', rfc: 'RFC 7343', globallyReachable: true },
  { prefix: '2001:30::/28', name: 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', rfc: 'RFC 9374', globallyReachable: true },
  { prefix: '2001:db8::/32', name: 'Documentation', rfc: 'RFC 3849', globallyReachable: false },
  { prefix: '2002::/16', name: '6to4', rfc: 'RFC 3056', globallyReachable: 'n/a' },
  { prefix: '2620:4f:8000::/48', name: 'Direct Delegation AS112 Service', rfc: 'RFC 7534', globallyReachable: true },
  { prefix: '3fff::/20', name: 'Documentation', rfc: 'RFC 9637', globallyReachable: false },
  { prefix: '5f00::/16', name: 'Segment Routing (SRv6) SIDs', rfc: 'RFC 9602', globallyReachable: false },
  { prefix: 'fc00::/7', name: 'Unique-Local', rfc: 'RFC 4193, RFC 8190', globallyReachable: false },
  { prefix: 'fe80::/10', name: 'Link-Local Unicast', rfc: 'RFC 4291', globallyReachable: false },
];

/** Denied too, although no special-purpose registry lists them (same shape; never reachable). */
export const BEYOND_REGISTRY: readonly SpecialPurposeEntry[] = [
  { prefix: '224.0.0.0/4', name: 'Multicast (IPv4 Multicast Address Space registry)', rfc: 'RFC 5771', globallyReachable: false },
  { prefix: 'ff00::/8', name: 'Multicast (IPv6 Multicast Address Space registry)', rfc: 'RFC 4291', globallyReachable: false },
  { prefix: 'fec0::/10', name: 'Site-local (deprecated)', rfc: 'RFC 3879', globallyReachable: false },
  { prefix: '::/96', name: 'IPv4-compatible (deprecated)', rfc: 'RFC 4291 section 2.5.5.1', globallyReachable: false },
];

/**
 * IPv6 blocks whose addresses stand for an embedded IPv4 destination, which then decides (the
 * packet leaves the translator or the 6to4 relay towards that IPv4 address): NAT64's well-known
 * prefix (RFC 6052 section 2.1, address in bits 96-127) and 6to4 (RFC 3056 section 2, bits 16-47).
 */
export const EMBEDDING_V6: ReadonlyArray<{ prefix: string; ipv4Offset: number }> = [
  { prefix: '64:ff9b::/96', ipv4Offset: 12 },
  { prefix: '2002::/16', ipv4Offset: 2 },
];
