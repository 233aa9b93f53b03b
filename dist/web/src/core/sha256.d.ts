/**
 * Incremental SHA-256 (FIPS 180-4). WebCrypto's `digest` only hashes a whole buffer at once, which
 * would force a 100 MB transfer to sit in memory; this hashes chunk by chunk as they arrive.
 * Plain TypeScript, no DOM: runs in the browser and in Node (tested against node:crypto).
 */
export declare class Sha256 {
    private readonly h;
    private readonly w;
    /** Bytes of an incomplete block carried over to the next update. */
    private readonly buf;
    private bufLen;
    private total;
    private finished;
    update(data: Uint8Array): this;
    /** Finish and return the 32-byte digest. The hasher cannot be updated afterwards. */
    digest(): Uint8Array;
    hex(): string;
    private block;
}
export declare function toHex(bytes: Uint8Array): string;
/** One-shot convenience. */
export declare function sha256Hex(data: Uint8Array): string;
