/**
 * The relay's configuration from environment variables, validated once at start.
 *
 * `loadRelayConfig` is what `npm run turn` (main.ts) uses. The signaling server reads the same
 * variables, with the same names, parsers and defaults, because its config.ts builds its schema
 * from `relayEnvSchema` and its relay config with `relayConfigFromEnv`: one definition, so the
 * relay run alone and the relay run by `npm start` cannot drift apart. The dependency goes from
 * the server to the relay only, so that the relay never loads the server's modules.
 *
 * `int`, `bool`, `list`, `parseEnv` and `ConfigError` are exported for the same reason: the
 * server's own variables are parsed and reported the same way.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RelayConfig } from './config.js';
import { parseCidr } from './security/peer-filter.js';

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
/** Comma-separated, blanks trimmed, empty items dropped. */
export const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const ip = z.string().refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address');
const ip6 = z.string().refine((s) => isIP(s) === 6 && !/^[0:]+$/.test(s), 'must be a concrete IPv6 address');
const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be CIDR, e.g. 10.0.0.0/8').refine((s) => {
  try {
    parseCidr(s);
    return true;
  } catch {
    return false;
  }
}, 'must be CIDR with an IPv4 (/0-/32) or IPv6 (/0-/128) address, e.g. 10.0.0.0/8');
/**
 * TURN_SECRET: one secret, or several separated by commas during a rotation (the first mints, all
 * verify; docs/turn.md "Rotating TURN_SECRET"). Blanks around each are trimmed; none may be empty,
 * shorter than 16 characters or repeated.
 */
const secretList = z.string().transform((s, ctx) => {
  const secrets = s.split(',').map((x) => x.trim());
  secrets.forEach((x, i) => {
    const which = secrets.length > 1 ? `secret ${i + 1} of ${secrets.length} ` : '';
    if (!x) ctx.addIssue({ code: 'custom', message: `${which}is empty (several secrets are separated by single commas)` });
    else if (x.length < 16) ctx.addIssue({ code: 'custom', message: `${which}must be at least 16 characters` });
    else if (secrets.indexOf(x) !== i) ctx.addIssue({ code: 'custom', message: `${which}repeats secret ${secrets.indexOf(x) + 1}` });
  });
  return secrets;
});
const staticUser = z.string().regex(/^[^:\s]+:[^\s]+$/, 'must be user:password');

/** The most relay worker processes TURN_WORKERS may ask for. */
export const MAX_WORKERS = 64;

/**
 * The variables the relay reads: name -> parser with its default (see RelayConfig for meanings).
 * PUBLIC_IP, PUBLIC_IP6 and TURN_SECRET are shared with the signaling server (ICE server URLs,
 * credentials).
 */
export const relayEnvSchema = z.object({
  PUBLIC_IP: ip.default('127.0.0.1'),
  PUBLIC_IP6: ip6.optional(),
  TURN_SECRET: secretList.optional(),
  TURN_LISTEN_IP: ip.default('0.0.0.0'),
  TURN_RELAY_IP: ip.optional(),
  TURN_RELAY_IP6: ip6.optional(),
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
  TURN_PERMISSION_HOLD_MS: int(0, 2000).default(0),
  TURN_MAX_CONNECTIONS_PER_IP: int(1, 100_000).default(64),
  // One process per worker, each on its own ports (turn/pool.ts); the default uses every core.
  TURN_WORKERS: int(1, MAX_WORKERS).default(() => Math.min(MAX_WORKERS, availableParallelism())),
});

export type RelayEnv = z.infer<typeof relayEnvSchema>;

/** One bad environment variable, as {@link ConfigError} lists it. */
export interface ConfigIssue {
  /** The variable's name, e.g. `TURN_PORT`. */
  variable: string;
  /** What is wrong with its value. */
  message: string;
}

/** A bad configuration: every offending variable with what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super('invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Validate the variables `schema` names from `env`, or throw ConfigError naming each bad one. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  // Empty strings mean "unset" (a common result of `FOO= npm start` or compose files).
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  return parsed.data;
}

/** Checks across relay variables that each parsed fine alone. */
export function relayEnvProblems(e: RelayEnv): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  if (e.TURN_MIN_PORT > e.TURN_MAX_PORT) {
    problems.push({ variable: 'TURN_MIN_PORT', message: `must not exceed TURN_MAX_PORT (${e.TURN_MAX_PORT})` });
  }
  if (Boolean(e.TURN_TLS_CERT) !== Boolean(e.TURN_TLS_KEY)) {
    problems.push({ variable: e.TURN_TLS_CERT ? 'TURN_TLS_KEY' : 'TURN_TLS_CERT', message: 'TURN_TLS_CERT and TURN_TLS_KEY must be set together' });
  }
  const relayIp = e.TURN_RELAY_IP ?? e.PUBLIC_IP;
  const relayIp6 = e.TURN_RELAY_IP6 ?? e.PUBLIC_IP6;
  if (relayIp6 && isIP(relayIp) === 6) {
    problems.push({ variable: e.TURN_RELAY_IP6 ? 'TURN_RELAY_IP6' : 'PUBLIC_IP6', message: `is for an IPv6 relay address beside an IPv4 one, but TURN_RELAY_IP (or PUBLIC_IP) is already IPv6 (${relayIp})` });
  }
  problems.push(...workerProblems(e));
  if (e.TURN_DEFAULT_LIFETIME > e.TURN_MAX_LIFETIME) {
    problems.push({ variable: 'TURN_DEFAULT_LIFETIME', message: `must not exceed TURN_MAX_LIFETIME (${e.TURN_MAX_LIFETIME})` });
  }
  return problems;
}

/**
 * TURN_WORKERS against what it splits (turn/pool.ts): worker i listens on TURN_PORT + i and
 * TURN_TLS_PORT + i, relays from its own slice of TURN_MIN_PORT..TURN_MAX_PORT, and holds its share
 * of TURN_TOTAL_QUOTA; each must exist.
 */
function workerProblems(e: RelayEnv): ConfigIssue[] {
  const n = e.TURN_WORKERS;
  if (n === 1) return [];
  const out: ConfigIssue[] = [];
  const why = `(TURN_WORKERS=${n}: worker i listens on TURN_PORT + i and TURN_TLS_PORT + i)`;
  if (e.TURN_PORT !== 0 && e.TURN_PORT + n - 1 > 65535) out.push({ variable: 'TURN_WORKERS', message: `needs ports ${e.TURN_PORT}..${e.TURN_PORT + n - 1}, above 65535 ${why}` });
  const tls = Boolean(e.TURN_TLS_CERT);
  if (tls && e.TURN_TLS_PORT !== 0 && e.TURN_TLS_PORT + n - 1 > 65535) out.push({ variable: 'TURN_WORKERS', message: `needs TLS ports ${e.TURN_TLS_PORT}..${e.TURN_TLS_PORT + n - 1}, above 65535 ${why}` });
  if (tls && e.TURN_PORT !== 0 && e.TURN_TLS_PORT !== 0 && Math.abs(e.TURN_PORT - e.TURN_TLS_PORT) < n) {
    out.push({ variable: 'TURN_WORKERS', message: `makes the TCP ports TURN_PORT..+${n - 1} and TURN_TLS_PORT..+${n - 1} overlap (${e.TURN_PORT}, ${e.TURN_TLS_PORT}) ${why}` });
  }
  const span = e.TURN_MAX_PORT - e.TURN_MIN_PORT + 1;
  if (span >= 1 && span < n) out.push({ variable: 'TURN_WORKERS', message: `is more than the ${span} relay ports of TURN_MIN_PORT..TURN_MAX_PORT: each worker needs a slice of its own` });
  if (e.TURN_TOTAL_QUOTA < n) out.push({ variable: 'TURN_WORKERS', message: `is more than TURN_TOTAL_QUOTA (${e.TURN_TOTAL_QUOTA}), which the workers share` });
  return out;
}

/**
 * The RelayConfig for validated variables. Without TURN_SECRET the secret is random, generated
 * here: callers that issue credentials themselves (the server) take it from the result.
 */
export function relayConfigFromEnv(e: RelayEnv): RelayConfig {
  return {
    listenIp: e.TURN_LISTEN_IP,
    relayIp: e.TURN_RELAY_IP ?? e.PUBLIC_IP,
    relayIp6: e.TURN_RELAY_IP6 ?? e.PUBLIC_IP6,
    port: e.TURN_PORT,
    tlsPort: e.TURN_TLS_PORT,
    tlsCert: e.TURN_TLS_CERT,
    tlsKey: e.TURN_TLS_KEY,
    realm: e.TURN_REALM,
    secret: e.TURN_SECRET?.[0] ?? randomBytes(32).toString('base64url'),
    previousSecrets: e.TURN_SECRET?.slice(1) ?? [],
    minPort: e.TURN_MIN_PORT,
    maxPort: e.TURN_MAX_PORT,
    allowPeers: e.TURN_ALLOW_PEERS,
    staticUsers: e.TURN_STATIC_USERS.map((u) => {
      // The password may itself contain ':'; the user name may not.
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
    permissionHoldMs: e.TURN_PERMISSION_HOLD_MS,
    maxConnectionsPerIp: e.TURN_MAX_CONNECTIONS_PER_IP,
    workers: e.TURN_WORKERS,
  };
}

/**
 * The relay's configuration from `env` (default `process.env`), or ConfigError. `secretGenerated`
 * is true when TURN_SECRET was unset, so nothing else can issue credentials this relay accepts.
 */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): { config: RelayConfig; secretGenerated: boolean } {
  const e = parseEnv(relayEnvSchema, env);
  const problems = relayEnvProblems(e);
  if (problems.length) throw new ConfigError(problems);
  return { config: relayConfigFromEnv(e), secretGenerated: e.TURN_SECRET === undefined };
}
