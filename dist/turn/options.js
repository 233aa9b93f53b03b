const silent = { debug() { }, info() { }, warn() { }, error() { } };
export function resolveOptions(o = {}) {
    return {
        now: o.now ?? Date.now,
        sweepIntervalMs: o.sweepIntervalMs ?? 1000,
        nonceTtlSeconds: o.nonceTtlSeconds ?? 600,
        permissionLifetimeSeconds: o.permissionLifetimeSeconds ?? 300,
        channelLifetimeSeconds: o.channelLifetimeSeconds ?? 600,
        unauthorizedPerSecond: o.unauthorizedPerSecond ?? 10,
        unauthorizedBurst: o.unauthorizedBurst ?? 50,
        rateLimitEntries: o.rateLimitEntries ?? 10_000,
        transactionCacheMs: o.transactionCacheMs ?? 40_000,
        transactionCacheEntries: o.transactionCacheEntries ?? 10_000,
        maxStreamConnections: o.maxStreamConnections ?? 4096,
        streamIdleMs: o.streamIdleMs ?? 30_000,
        streamHighWaterMark: o.streamHighWaterMark ?? 1 << 20,
        reservationSeconds: o.reservationSeconds ?? 30,
        software: o.software,
        udpBufferSize: o.udpBufferSize ?? 1 << 20,
        relayBufferSize: o.relayBufferSize ?? 256 * 1024,
        logger: o.logger ?? silent,
    };
}
//# sourceMappingURL=options.js.map