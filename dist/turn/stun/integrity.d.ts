import type { StunMessage } from './message.js';
/** RFC 8489 section 9.2.2: key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)). */
export declare function longTermKey(username: string, realm: string, password: string): Buffer;
/** Compute a MESSAGE-INTEGRITY value for a message whose integrity attribute starts at attrStart. */
export declare function computeIntegrity(buf: Buffer, attrStart: number, key: Buffer, sha256?: boolean): Buffer;
/**
 * Check MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY. Returns false when neither
 * is present or the value does not match (constant-time comparison).
 */
export declare function checkIntegrity(msg: StunMessage, key: Buffer): boolean;
export declare function fingerprintOf(buf: Buffer, end: number): number;
/** RFC 8489 section 14.7: true when there is no FINGERPRINT or it matches. */
export declare function checkFingerprint(msg: StunMessage): boolean;
