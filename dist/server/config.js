/**
 * Configuration from the environment, validated once at start.
 *
 * Every variable is listed in the README's configuration table with its default; keep the two in
 * step. A bad value fails start with a message naming the variable (see `ConfigError`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
const int = (min, max) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const ip = z.string().refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address');
const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be CIDR, e.g. 10.0.0.0/8');
const turnUrl = z.string().regex(/^turns?:[^\s]+$|^stun:[^\s]+$/, 'must be a stun:, turn: or turns: URL');
const staticUser = z.string().regex(/^[^:\s]+:[^\s]+$/, 'must be user:password');
/** Environment schema: variable name -> parser with its default. */
const envSchema = z.object({
    // --- HTTP and signaling
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROOM_CAPACITY: int(2, 64).default(8),
    SIGNAL_MAX_BYTES: int(256, 1 << 20).default(64 * 1024),
    RATE_LIMIT_BURST: int(1, 100_000).default(200),
    RATE_LIMIT_PER_SECOND: int(1, 100_000).default(50),
    MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).default(50),
    TRUST_PROXY: bool.default(false),
    ROOM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    ROOM_TOKEN_TTL: int(60, 366 * 86400).default(86400),
    SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    RESUME_GRACE_MS: int(0, 300_000).default(10_000),
    SOCKET_TRANSPORTS: list.pipe(z.array(z.enum(['polling', 'websocket'])).min(1, 'must name polling and/or websocket')).default(['polling', 'websocket']),
    SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
    SHUTDOWN_DRAIN_MS: int(0, 60_000).default(0),
    // --- ICE servers and TURN credentials
    PUBLIC_IP: ip.default('127.0.0.1'),
    TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    TURN_CREDENTIAL_TTL: int(60, 7 * 86400).default(3600),
    TURN_URLS: list.pipe(z.array(turnUrl).min(1)).optional(),
    STUN_URLS: list.pipe(z.array(turnUrl)).optional(),
    // --- Embedded relay
    TURN_ENABLED: bool.default(true),
    TURN_LISTEN_IP: ip.default('0.0.0.0'),
    TURN_RELAY_IP: ip.optional(),
    TURN_PORT: int(0, 65535).default(3478),
    TURN_TLS_PORT: int(0, 65535).default(5349),
    TURN_TLS_CERT: z.string().min(1).optional(),
    TURN_TLS_KEY: z.string().min(1).optional(),
    TURN_REALM: z.string().min(1).max(127).default('switchboard'),
    TURN_MIN_PORT: int(1024, 65535).default(49152),
    TURN_MAX_PORT: int(1024, 65535).default(65535),
    TURN_ALLOW_PEERS: list.pipe(z.array(cidr)).default([]),
    TURN_STATIC_USERS: list.pipe(z.array(staticUser)).default([]),
    TURN_DEFAULT_LIFETIME: int(30, 3600).default(600),
    TURN_MAX_LIFETIME: int(30, 3600).default(3600),
    TURN_USER_QUOTA: int(1, 100_000).default(10),
    TURN_TOTAL_QUOTA: int(1, 1_000_000).default(1000),
    TURN_MAX_BPS: int(0, 10_000_000_000).default(0),
    TURN_MAX_PERMISSIONS: int(1, 10_000).default(64),
    TURN_MAX_CHANNELS: int(1, 4096).default(64),
    // --- Scale-out and observability (issues 6 and 7)
    REDIS_URL: z.string().url().optional(),
    NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -').optional(),
    NODE_TTL_MS: int(1000, 120_000).default(6000),
    METRICS_TOKEN: z.string().min(8).optional(),
});
export class ConfigError extends Error {
    issues;
    constructor(issues) {
        super('invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
        this.issues = issues;
        this.name = 'ConfigError';
    }
}
/** Parse `env` (default `process.env`) into a validated Config, or throw ConfigError. */
export function loadConfig(env = process.env) {
    // Empty strings mean "unset" (a common result of `FOO= npm start` or compose files).
    const raw = {};
    for (const key of Object.keys(envSchema.shape)) {
        const v = env[key];
        if (v !== undefined && v !== '')
            raw[key] = v;
    }
    const parsed = envSchema.safeParse(raw);
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
    }
    const e = parsed.data;
    const problems = [];
    if (e.TURN_MIN_PORT > e.TURN_MAX_PORT) {
        problems.push({ variable: 'TURN_MIN_PORT', message: `must not exceed TURN_MAX_PORT (${e.TURN_MAX_PORT})` });
    }
    if (Boolean(e.TURN_TLS_CERT) !== Boolean(e.TURN_TLS_KEY)) {
        problems.push({ variable: e.TURN_TLS_CERT ? 'TURN_TLS_KEY' : 'TURN_TLS_CERT', message: 'TURN_TLS_CERT and TURN_TLS_KEY must be set together' });
    }
    if (e.TURN_DEFAULT_LIFETIME > e.TURN_MAX_LIFETIME) {
        problems.push({ variable: 'TURN_DEFAULT_LIFETIME', message: `must not exceed TURN_MAX_LIFETIME (${e.TURN_MAX_LIFETIME})` });
    }
    if (!e.TURN_ENABLED && !e.TURN_URLS) {
        problems.push({ variable: 'TURN_URLS', message: 'required when TURN_ENABLED=false (the clients need a relay)' });
    }
    if (problems.length)
        throw new ConfigError(problems);
    const turnSecret = e.TURN_SECRET ?? randomBytes(32).toString('base64url');
    const relayIp = e.TURN_RELAY_IP ?? e.PUBLIC_IP;
    return {
        port: e.PORT,
        host: e.HOST,
        logLevel: e.LOG_LEVEL,
        roomCapacity: e.ROOM_CAPACITY,
        signalMaxBytes: e.SIGNAL_MAX_BYTES,
        maxHttpBufferSize: Math.max(16 * 1024, e.SIGNAL_MAX_BYTES * 2),
        rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_SECOND },
        maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
        trustProxy: e.TRUST_PROXY,
        socketTransports: e.SOCKET_TRANSPORTS,
        roomSecret: e.ROOM_SECRET,
        roomTokenTtl: e.ROOM_TOKEN_TTL,
        sessionSecret: e.SESSION_SECRET ?? deriveSessionSecret(e.TURN_SECRET),
        sessionSecretGenerated: e.SESSION_SECRET === undefined && e.TURN_SECRET === undefined,
        resumeGraceMs: e.RESUME_GRACE_MS,
        shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
        shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
        publicIp: e.PUBLIC_IP,
        turnSecret,
        turnSecretGenerated: e.TURN_SECRET === undefined,
        turnCredentialTtl: e.TURN_CREDENTIAL_TTL,
        turnUrls: e.TURN_URLS,
        stunUrls: e.STUN_URLS,
        turnEnabled: e.TURN_ENABLED,
        relay: {
            listenIp: e.TURN_LISTEN_IP,
            relayIp,
            port: e.TURN_PORT,
            tlsPort: e.TURN_TLS_PORT,
            tlsCert: e.TURN_TLS_CERT,
            tlsKey: e.TURN_TLS_KEY,
            realm: e.TURN_REALM,
            secret: turnSecret,
            minPort: e.TURN_MIN_PORT,
            maxPort: e.TURN_MAX_PORT,
            allowPeers: e.TURN_ALLOW_PEERS,
            staticUsers: e.TURN_STATIC_USERS.map((u) => {
                const i = u.indexOf(':');
                return { username: u.slice(0, i), password: u.slice(i + 1) };
            }),
            defaultLifetime: e.TURN_DEFAULT_LIFETIME,
            maxLifetime: e.TURN_MAX_LIFETIME,
            userQuota: e.TURN_USER_QUOTA,
            totalQuota: e.TURN_TOTAL_QUOTA,
            maxBps: e.TURN_MAX_BPS,
            maxPermissions: e.TURN_MAX_PERMISSIONS,
            maxChannels: e.TURN_MAX_CHANNELS,
        },
        redisUrl: e.REDIS_URL,
        nodeId: e.NODE_ID ?? (hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'node'),
        nodeTtlMs: e.NODE_TTL_MS,
        metricsToken: e.METRICS_TOKEN,
    };
}
/**
 * Without SESSION_SECRET, resume keys are signed with a key derived from TURN_SECRET (a one-way
 * HMAC, so neither reveals the other), so one stable secret is enough for peers to keep their ids
 * across restarts and nodes. With neither, a random key for this run.
 */
function deriveSessionSecret(turnSecret) {
    if (!turnSecret)
        return randomBytes(32).toString('base64url');
    return createHmac('sha256', turnSecret).update('switchboard session key v1').digest('base64url');
}
/** Variable names known to the schema (the README table is checked against this in tests). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
//# sourceMappingURL=config.js.map