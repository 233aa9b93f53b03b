export declare class NonceFactory {
    private readonly ttlMs;
    private readonly now;
    private readonly key;
    constructor(ttlMs: number, now: () => number, key?: Buffer);
    private mac;
    issue(ip: string): string;
    /** 'ok', or 'stale' for an expired or unrecognised nonce. */
    check(nonce: string, ip: string): 'ok' | 'stale';
}
