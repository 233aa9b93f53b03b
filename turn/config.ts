/**
 * The relay's configuration: what `createRelay` and `startRelayProcess` need to run.
 *
 * It lives here, beside the relay rather than in the signaling server's config.ts, so that the
 * relay (`switchboard/turn`) can be imported and run without the signaling server: the server maps
 * its environment onto this type, and env.ts does the same for `npm run turn`. Every field is required, because whoever builds a
 * config decides every value; the defaults named below are those of the environment loaders (the
 * variable in parentheses), which are the values to pick when in doubt.
 *
 * Settings that are not operator choices (timers, cache sizes, test hooks) are in options.ts.
 */
export interface RelayConfig {
  /** Address the UDP, TCP and TLS listeners bind to. Default `0.0.0.0` (TURN_LISTEN_IP). */
  listenIp: string;
  /**
   * Relayed transport address advertised to clients (XOR-RELAYED-ADDRESS); must be a concrete IPv4
   * or IPv6 address, never a wildcard. Relay sockets bind to it when it is an address of this host,
   * else (1:1 NAT) to `listenIp`. Default PUBLIC_IP, itself `127.0.0.1` (TURN_RELAY_IP).
   */
  relayIp: string;
  /**
   * A second relayed address, IPv6, beside an IPv4 `relayIp`: the relay then offers IPv6 and dual
   * allocations too (RFC 8656 REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY). Its sockets
   * bind like `relayIp`'s. Default PUBLIC_IP6, itself unset: IPv4 only (TURN_RELAY_IP6).
   */
  relayIp6?: string | undefined;
  /** UDP and TCP listener port (one number for both); 0 picks a free one. Default 3478 (TURN_PORT). */
  port: number;
  /** TLS listener port, used only when `tlsCert` and `tlsKey` are set. Default 5349 (TURN_TLS_PORT). */
  tlsPort: number;
  /** TLS certificate: a file path or the PEM text itself. Default unset: no TLS (TURN_TLS_CERT). */
  tlsCert?: string | undefined;
  /** TLS private key, set together with `tlsCert`: a file path or the PEM text. Default unset (TURN_TLS_KEY). */
  tlsKey?: string | undefined;
  /** REALM of the long-term credential mechanism (RFC 8489 section 9.2). Default `switchboard` (TURN_REALM). */
  realm: string;
  /**
   * Shared secret of TURN REST credentials (coturn's `static-auth-secret`): whoever knows it can
   * issue usernames the relay accepts. The current one: the first of TURN_SECRET, the one the
   * signaling server mints with. Default a random one generated at start (TURN_SECRET).
   */
  secret: string;
  /**
   * Older secrets still accepted during a rotation (the rest of a comma-separated TURN_SECRET):
   * credentials signed with any of them keep working until the secret is removed. Default none.
   */
  previousSecrets?: string[] | undefined;
  /** Lowest port of the relay sockets. Default 49152 (TURN_MIN_PORT). */
  minPort: number;
  /** Highest port of the relay sockets, not below `minPort`. Default 65535 (TURN_MAX_PORT). */
  maxPort: number;
  /**
   * CIDR ranges peers may be in although the deny list (private and special-purpose addresses)
   * covers them: LAN deployments and tests. Default none (TURN_ALLOW_PEERS).
   */
  allowPeers: string[];
  /** Fixed long-term users, besides REST credentials; for development. Default none (TURN_STATIC_USERS). */
  staticUsers: Array<{ username: string; password: string }>;
  /** Allocation lifetime in seconds when the client asks for none or less. Default 600 (TURN_DEFAULT_LIFETIME). */
  defaultLifetime: number;
  /** Longest allocation lifetime granted, seconds, not below `defaultLifetime`. Default 3600 (TURN_MAX_LIFETIME). */
  maxLifetime: number;
  /** Allocations one username may hold at once (more: 486). Default 10 (TURN_USER_QUOTA). */
  userQuota: number;
  /** Allocations on the relay at once (more: 508). Default 1000 (TURN_TOTAL_QUOTA). */
  totalQuota: number;
  /**
   * Bandwidth cap per allocation in bits per second, both directions together (excess is dropped);
   * 0 means none. Default 0 (TURN_MAX_BPS).
   */
  maxBps: number;
  /** Permissions per allocation (more: 508). Default 64 (TURN_MAX_PERMISSIONS). */
  maxPermissions: number;
  /** Channel bindings per allocation (more: 508). Default 64 (TURN_MAX_CHANNELS). */
  maxChannels: number;
  /**
   * TCP and TLS connections one client IP address may hold at once, both listeners together;
   * a connection over the cap is closed at accept. Default 64 (TURN_MAX_CONNECTIONS_PER_IP).
   */
  maxConnectionsPerIp?: number | undefined;
  /**
   * Worker processes of the relay (`startRelayPool`), 1-64: worker i listens on `port` + i
   * (and `tlsPort` + i), relays from its own slice of `minPort`..`maxPort` and grants its share of
   * `totalQuota`. `createRelay` and `startRelayProcess` run one relay and ignore it. Default the
   * number of cores, `os.availableParallelism()` (TURN_WORKERS); unset here means 1.
   */
  workers?: number | undefined;
  /**
   * How long a datagram from a peer without a permission yet is held for a CreatePermission or
   * ChannelBind for that peer's IP from the allocation's own client, ms, instead of discarded at
   * once; 0 discards at once (RFC 8656 section 9 to the letter). Default 0, off, until the
   * call-setup benchmark shows it on a quiet machine (TURN_PERMISSION_HOLD_MS). docs/turn.md
   * "Permission hold" gives the reasoning.
   */
  permissionHoldMs?: number | undefined;
}
