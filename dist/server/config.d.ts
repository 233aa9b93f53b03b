import { z } from 'zod';
/** Environment schema: variable name -> parser with its default. */
declare const envSchema: z.ZodObject<{
    PORT: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    HOST: z.ZodDefault<z.ZodString>;
    LOG_LEVEL: z.ZodDefault<z.ZodEnum<{
        error: "error";
        fatal: "fatal";
        warn: "warn";
        info: "info";
        debug: "debug";
        trace: "trace";
        silent: "silent";
    }>>;
    ROOM_CAPACITY: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    SIGNAL_MAX_BYTES: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    RATE_LIMIT_BURST: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    RATE_LIMIT_PER_SECOND: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    MAX_CONNECTIONS_PER_IP: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TRUST_PROXY: z.ZodDefault<z.ZodPipe<z.ZodEnum<{
        true: "true";
        0: "0";
        false: "false";
        1: "1";
        yes: "yes";
        no: "no";
    }>, z.ZodTransform<boolean, "true" | "0" | "false" | "1" | "yes" | "no">>>;
    ROOM_SECRET: z.ZodOptional<z.ZodString>;
    ROOM_TOKEN_TTL: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    SESSION_SECRET: z.ZodOptional<z.ZodString>;
    RESUME_GRACE_MS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    SOCKET_TRANSPORTS: z.ZodDefault<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>, z.ZodArray<z.ZodEnum<{
        polling: "polling";
        websocket: "websocket";
    }>>>>;
    SHUTDOWN_TIMEOUT_MS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    SHUTDOWN_DRAIN_MS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    PUBLIC_IP: z.ZodDefault<z.ZodString>;
    TURN_SECRET: z.ZodOptional<z.ZodString>;
    TURN_CREDENTIAL_TTL: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_URLS: z.ZodOptional<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>, z.ZodArray<z.ZodString>>>;
    STUN_URLS: z.ZodOptional<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>, z.ZodArray<z.ZodString>>>;
    TURN_ENABLED: z.ZodDefault<z.ZodPipe<z.ZodEnum<{
        true: "true";
        0: "0";
        false: "false";
        1: "1";
        yes: "yes";
        no: "no";
    }>, z.ZodTransform<boolean, "true" | "0" | "false" | "1" | "yes" | "no">>>;
    TURN_LISTEN_IP: z.ZodDefault<z.ZodString>;
    TURN_RELAY_IP: z.ZodOptional<z.ZodString>;
    TURN_PORT: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_TLS_PORT: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_TLS_CERT: z.ZodOptional<z.ZodString>;
    TURN_TLS_KEY: z.ZodOptional<z.ZodString>;
    TURN_REALM: z.ZodDefault<z.ZodString>;
    TURN_MIN_PORT: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_MAX_PORT: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_ALLOW_PEERS: z.ZodDefault<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>, z.ZodArray<z.ZodString>>>;
    TURN_STATIC_USERS: z.ZodDefault<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>, z.ZodArray<z.ZodString>>>;
    TURN_DEFAULT_LIFETIME: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_MAX_LIFETIME: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_USER_QUOTA: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_TOTAL_QUOTA: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_MAX_BPS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_MAX_PERMISSIONS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    TURN_MAX_CHANNELS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    REDIS_URL: z.ZodOptional<z.ZodString>;
    NODE_ID: z.ZodOptional<z.ZodString>;
    NODE_TTL_MS: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
    METRICS_TOKEN: z.ZodOptional<z.ZodString>;
}, z.core.$strip>;
export type Env = z.infer<typeof envSchema>;
export interface RelayConfig {
    listenIp: string;
    relayIp: string;
    port: number;
    tlsPort: number;
    tlsCert?: string | undefined;
    tlsKey?: string | undefined;
    realm: string;
    secret: string;
    minPort: number;
    maxPort: number;
    allowPeers: string[];
    staticUsers: Array<{
        username: string;
        password: string;
    }>;
    defaultLifetime: number;
    maxLifetime: number;
    userQuota: number;
    totalQuota: number;
    maxBps: number;
    maxPermissions: number;
    maxChannels: number;
}
export interface Config {
    port: number;
    host: string;
    logLevel: Env['LOG_LEVEL'];
    roomCapacity: number;
    signalMaxBytes: number;
    /** Socket.IO's maxHttpBufferSize: one signal plus envelope, never less than 16 KiB. */
    maxHttpBufferSize: number;
    rateLimit: {
        burst: number;
        perSecond: number;
    };
    maxConnectionsPerIp: number;
    trustProxy: boolean;
    /** Socket.IO transports the server accepts; without 'websocket', upgrades are refused. */
    socketTransports: Array<'polling' | 'websocket'>;
    roomSecret?: string | undefined;
    roomTokenTtl: number;
    sessionSecret: string;
    /**
     * True when neither SESSION_SECRET nor TURN_SECRET was set: resume keys then only work on this
     * node, this run. (With TURN_SECRET alone, the session key is derived from it.)
     */
    sessionSecretGenerated: boolean;
    resumeGraceMs: number;
    shutdownTimeoutMs: number;
    /** Time /readyz answers 503 before sockets are closed, so a load balancer stops routing here first. */
    shutdownDrainMs: number;
    publicIp: string;
    turnSecret: string;
    /** True when TURN_SECRET was not set and a random one was generated at start. */
    turnSecretGenerated: boolean;
    turnCredentialTtl: number;
    turnUrls?: string[] | undefined;
    stunUrls?: string[] | undefined;
    turnEnabled: boolean;
    relay: RelayConfig;
    redisUrl?: string | undefined;
    /** This node's name in a cluster (logs, /api/cluster). Default: the host name. */
    nodeId: string;
    /** A node silent this long is dead; it heartbeats every third of it (cluster only). */
    nodeTtlMs: number;
    metricsToken?: string | undefined;
}
export declare class ConfigError extends Error {
    readonly issues: Array<{
        variable: string;
        message: string;
    }>;
    constructor(issues: Array<{
        variable: string;
        message: string;
    }>);
}
/** Parse `env` (default `process.env`) into a validated Config, or throw ConfigError. */
export declare function loadConfig(env?: NodeJS.ProcessEnv): Config;
/** Variable names known to the schema (the README table is checked against this in tests). */
export declare const CONFIG_VARIABLES: readonly string[];
export {};
