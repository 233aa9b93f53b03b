/**
 * Configuration from the environment, validated once at start.
 *
 * Every variable is listed in the README's configuration table with its default; keep the two in
 * step. A bad value fails start with a message naming the variable (see `ConfigError`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { RelayConfig } from '../turn/config.js';
import { roomJwtFromEnv, type RoomJwtConfig } from './credentials/room-jwt.js';
import { bool, ConfigError, int, list, parseEnv, relayConfigFromEnv, relayEnvProblems, relayEnvSchema, type ConfigIssue } from '../turn/env.js';

// The relay owns its type, its variables and their error class (turn/ must not import server/);
// re-exported so the server's callers keep importing them from here.
export { ConfigError, type ConfigIssue, type RelayConfig };

const turnUrl = z.string().regex(/^turns?:[^\s]+$|^stun:[^\s]+$/, 'must be a stun:, turn: or turns: URL');

/**
 * Environment schema: variable name -> parser with its default. The embedded relay's variables
 * (PUBLIC_IP, TURN_SECRET and the relay's TURN_*) come from turn/env.ts, so `npm run turn` reads
 * them exactly as `npm start` does.
 */
const envSchema = z.object({
  // --- HTTP and signaling
  PORT: int(0, 65535).default(3000),
  // Unset: `::` (IPv6 and IPv4 on one socket), `0.0.0.0` when the host has no IPv6 (http/listen.ts).
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROOM_CAPACITY: int(2, 64).default(8),
  SIGNAL_MAX_BYTES: int(256, 1 << 20).default(64 * 1024),
  RATE_LIMIT_BURST: int(1, 100_000).default(200),
  RATE_LIMIT_PER_SECOND: int(1, 100_000).default(50),
  MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).default(50),
  TRUST_PROXY: bool.default(false),
  ROOM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ROOM_TOKEN_TTL: int(60, 366 * 86400).default(86400),
  // JWT room tokens (credentials/room-jwt.ts, docs/tokens.md); the key file is read by loadConfig.
  ROOM_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ROOM_JWT_PUBLIC_KEY: z.string().min(1).optional(),
  ROOM_JWT_ISSUER: z.string().min(1).optional(),
  ROOM_JWT_AUDIENCE: z.string().min(1).optional(),
  ROOM_JWT_KID: list.pipe(z.array(z.string().max(256)).min(1, 'must name at least one key id')).optional(),
  AUTHORIZE_TIMEOUT_MS: int(10, 120_000).default(5000),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RESUME_GRACE_MS: int(0, 300_000).default(10_000),
  CORS_ORIGINS: list.pipe(z.array(z.string().regex(/^\*$|^https?:\/\/[^\s/]+$/, 'must be * or origins such as https://app.example.com (scheme and host, no path)')).min(1)).optional(),
  SOCKET_TRANSPORTS: list.pipe(z.array(z.enum(['polling', 'websocket'])).min(1, 'must name polling and/or websocket')).default(['polling', 'websocket']),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  SHUTDOWN_DRAIN_MS: int(0, 60_000).default(0),
  // --- ICE servers and TURN credentials (PUBLIC_IP and TURN_SECRET: with the relay's, below)
  TURN_CREDENTIAL_TTL: int(60, 7 * 86400).default(3600),
  TURN_URLS: list.pipe(z.array(turnUrl).min(1)).optional(),
  STUN_URLS: list.pipe(z.array(turnUrl)).optional(),
  // --- Embedded relay
  TURN_ENABLED: bool.default(true),
  ...relayEnvSchema.shape,
  // --- Scale-out and observability (issues 6 and 7)
  REDIS_URL: z.string().url().optional(),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -').optional(),
  NODE_TTL_MS: int(1000, 120_000).default(6000),
  REDIS_ADAPTER: z.enum(['sharded', 'classic'], { error: 'must be sharded or classic' }).default('sharded'),
  METRICS_TOKEN: z.string().min(8).optional(),
});

/**
 * Every environment variable the server reads, parsed (numbers, booleans, lists): see the README's
 * Configuration table.
 * @useDeclaredType
 */
export type Env = z.infer<typeof envSchema>;

/**
 * The server's validated configuration, as {@link loadConfig} builds it from the environment (the
 * variable in parentheses; defaults as in the README's Configuration table).
 */
export interface Config {
  /** HTTP and Socket.IO port; 0 picks a free one (PORT, default 3000). */
  port: number;
  /**
   * Address to listen on (HOST). Default `::`: one socket for IPv6 and IPv4 clients (Node's
   * `ipv6Only` is false), or `0.0.0.0` on a host without IPv6 (see {@link Config.hostFallback}).
   */
  host: string;
  /** Where to listen when `host` cannot be bound for want of IPv6: `0.0.0.0` when HOST is unset, else none (an explicit HOST fails start). */
  hostFallback?: string | undefined;
  /** pino log level (LOG_LEVEL, default `info`). */
  logLevel: Env['LOG_LEVEL'];
  /** Peers per room at most (ROOM_CAPACITY, default 8). */
  roomCapacity: number;
  /** Largest `signal.data`, bytes of JSON (SIGNAL_MAX_BYTES, default 65536). */
  signalMaxBytes: number;
  /** Socket.IO's maxHttpBufferSize: one signal plus envelope, never less than 16 KiB. */
  maxHttpBufferSize: number;
  /** Per-socket token bucket for client events (RATE_LIMIT_BURST, default 200; RATE_LIMIT_PER_SECOND, default 50). */
  rateLimit: { burst: number; perSecond: number };
  /** Concurrent Socket.IO connections per client address; 0 means no limit (MAX_CONNECTIONS_PER_IP, default 50). */
  maxConnectionsPerIp: number;
  /** Take the client address from X-Forwarded-For (TRUST_PROXY, default false). */
  trustProxy: boolean;
  /** Socket.IO transports the server accepts; without 'websocket', upgrades are refused. */
  socketTransports: Array<'polling' | 'websocket'>;
  /**
   * Origins whose pages may use Socket.IO's long-polling (CORS), `['*']` for any; unset: none but
   * the server's own (WebSocket needs no CORS and is accepted from any origin) (CORS_ORIGINS).
   */
  corsOrigins?: string[] | undefined;
  /** When set, `join` needs a room token signed with it (ROOM_SECRET). */
  roomSecret?: string | undefined;
  /** Room token lifetime in seconds (ROOM_TOKEN_TTL, default 86400). */
  roomTokenTtl: number;
  /**
   * When set, `join` needs a room token, and JWTs verified with these keys are accepted (beside
   * ROOM_SECRET's HMAC tokens when that is set too): ROOM_JWT_SECRET, ROOM_JWT_PUBLIC_KEY,
   * ROOM_JWT_ISSUER, ROOM_JWT_AUDIENCE, ROOM_JWT_KID. See docs/tokens.md.
   */
  roomJwt?: RoomJwtConfig | undefined;
  /** How long the authorize hook (AppDeps `authorize`) may take before the join is refused with `unavailable`, ms (AUTHORIZE_TIMEOUT_MS, default 5000). */
  authorizeTimeoutMs: number;
  /** Key that signs resume keys (SESSION_SECRET; else derived from TURN_SECRET, else random). */
  sessionSecret: string;
  /**
   * True when neither SESSION_SECRET nor TURN_SECRET was set: resume keys then only work on this
   * node, this run. (With TURN_SECRET alone, the session key is derived from it.)
   */
  sessionSecretGenerated: boolean;
  /** How long a peer whose connection dropped stays in its room, waiting to resume, ms (RESUME_GRACE_MS, default 10000). */
  resumeGraceMs: number;
  /** `stop()` closes whatever is still open after this, ms (SHUTDOWN_TIMEOUT_MS, default 10000). */
  shutdownTimeoutMs: number;
  /** Time /readyz answers 503 before sockets are closed, so a load balancer stops routing here first. */
  shutdownDrainMs: number;
  /** This host's address as clients reach it, in the ICE server URLs (PUBLIC_IP, default `127.0.0.1`). */
  publicIp: string;
  /** This host's IPv6 address as clients reach it, advertised in the ICE server URLs beside PUBLIC_IP (PUBLIC_IP6, default unset). */
  publicIp6?: string | undefined;
  /** Shared secret the TURN REST credentials handed to clients are signed with: the first of TURN_SECRET (random when unset); the relay also accepts the others. */
  turnSecret: string;
  /** True when TURN_SECRET was not set and a random one was generated at start. */
  turnSecretGenerated: boolean;
  /** TURN credential lifetime in seconds (TURN_CREDENTIAL_TTL, default 3600). */
  turnCredentialTtl: number;
  /** External relays' `turn:`/`turns:` URLs, given to clients instead of the embedded relay's; one relay per room (TURN_URLS). */
  turnUrls?: string[] | undefined;
  /** `stun:` URLs advertised instead of the relay's own STUN (STUN_URLS). */
  stunUrls?: string[] | undefined;
  /** Run the embedded relay (TURN_ENABLED, default true). */
  turnEnabled: boolean;
  /** The embedded relay's configuration (PUBLIC_IP, TURN_SECRET and the TURN_* variables). */
  relay: RelayConfig;
  /** Redis for cluster mode; unset: a single node (REDIS_URL). */
  redisUrl?: string | undefined;
  /**
   * The Socket.IO Redis adapter (REDIS_ADAPTER): `sharded` (Redis 7 SPUBLISH/SSUBSCRIBE, a channel
   * per room, so a node receives only what concerns the rooms and peers it holds) or `classic`
   * (every node receives every broadcast). Default: sharded. Cluster only.
   */
  redisAdapter: 'sharded' | 'classic';
  /** This node's name in a cluster (logs, /api/cluster). Default: the host name. */
  nodeId: string;
  /** A node silent this long is dead; it heartbeats every third of it (cluster only). */
  nodeTtlMs: number;
  /** Bearer token required by /metrics, /api/stats and the other observability routes when set (METRICS_TOKEN). */
  metricsToken?: string | undefined;
}

/** Parse `env` (default `process.env`) into a validated Config, or throw ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(envSchema, env);
  const problems = relayEnvProblems(e);
  const roomJwt = roomJwtFromEnv(e);
  problems.push(...roomJwt.problems);
  if (!e.TURN_ENABLED && !e.TURN_URLS) {
    problems.push({ variable: 'TURN_URLS', message: 'required when TURN_ENABLED=false (the clients need a relay)' });
  }
  if (problems.length) throw new ConfigError(problems);

  // The relay's secret (TURN_SECRET, or a random one) is also the one the server signs credentials with.
  const relay = relayConfigFromEnv(e);
  return {
    port: e.PORT,
    host: e.HOST ?? '::',
    hostFallback: e.HOST === undefined ? '0.0.0.0' : undefined,
    logLevel: e.LOG_LEVEL,
    roomCapacity: e.ROOM_CAPACITY,
    signalMaxBytes: e.SIGNAL_MAX_BYTES,
    maxHttpBufferSize: Math.max(16 * 1024, e.SIGNAL_MAX_BYTES * 2),
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_SECOND },
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    trustProxy: e.TRUST_PROXY,
    socketTransports: e.SOCKET_TRANSPORTS,
    corsOrigins: e.CORS_ORIGINS,
    roomSecret: e.ROOM_SECRET,
    roomTokenTtl: e.ROOM_TOKEN_TTL,
    roomJwt: roomJwt.config,
    authorizeTimeoutMs: e.AUTHORIZE_TIMEOUT_MS,
    sessionSecret: e.SESSION_SECRET ?? deriveSessionSecret(e.TURN_SECRET?.[0]),
    sessionSecretGenerated: e.SESSION_SECRET === undefined && e.TURN_SECRET === undefined,
    resumeGraceMs: e.RESUME_GRACE_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    publicIp: e.PUBLIC_IP,
    publicIp6: e.PUBLIC_IP6,
    turnSecret: relay.secret,
    turnSecretGenerated: e.TURN_SECRET === undefined,
    turnCredentialTtl: e.TURN_CREDENTIAL_TTL,
    turnUrls: e.TURN_URLS,
    stunUrls: e.STUN_URLS,
    turnEnabled: e.TURN_ENABLED,
    relay,
    redisUrl: e.REDIS_URL,
    nodeId: e.NODE_ID ?? (hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'node'),
    nodeTtlMs: e.NODE_TTL_MS,
    redisAdapter: e.REDIS_ADAPTER,
    metricsToken: e.METRICS_TOKEN,
  };
}

/**
 * Without SESSION_SECRET, resume keys are signed with a key derived from TURN_SECRET's first
 * secret (a one-way HMAC, so neither reveals the other), so one stable secret is enough for peers
 * to keep their ids across restarts and nodes. With neither, a random key for this run. (A
 * rotation that changes the first secret changes this key: set SESSION_SECRET to keep it apart.)
 */
function deriveSessionSecret(turnSecret: string | undefined): string {
  if (!turnSecret) return randomBytes(32).toString('base64url');
  return createHmac('sha256', turnSecret).update('switchboard session key v1').digest('base64url');
}

/** Variable names known to the schema (the README table is checked against this in tests). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);
