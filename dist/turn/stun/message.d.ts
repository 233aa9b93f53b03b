import { type TransportAddress } from './address.js';
import type { StunError } from './errors.js';
export interface StunAttribute {
    type: number;
    /** Offset of the value in `StunMessage.buf`. */
    offset: number;
    length: number;
}
export interface StunMessage {
    /** Exactly the message's bytes. */
    buf: Buffer;
    type: number;
    method: number;
    cls: number;
    /** The 12-byte transaction id (a view into buf). */
    tid: Buffer;
    /** Attributes up to and including MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT. */
    attrs: StunAttribute[];
}
/** Upper bound on attributes per message: anything above is treated as malformed. */
export declare const MAX_ATTRIBUTES = 64;
/** Quick test whether a buffer can be a STUN message (first two bits zero and the magic cookie). */
export declare function looksLikeStun(buf: Buffer): boolean;
/**
 * Decode one STUN message occupying all of `buf`. Returns null when it is not a well-formed
 * message (RFC 8489 section 6.3: such messages are discarded silently).
 */
export declare function decode(buf: Buffer): StunMessage | null;
export declare function getAttr(msg: StunMessage, type: number): StunAttribute | undefined;
export declare function getAllAttrs(msg: StunMessage, type: number): StunAttribute[];
export declare function attrValue(msg: StunMessage, a: StunAttribute): Buffer;
export declare function getString(msg: StunMessage, type: number): string | undefined;
export declare function getUint32(msg: StunMessage, type: number): number | undefined;
/** XOR-* address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
export declare function getXorAddress(msg: StunMessage, type: number): TransportAddress | null | undefined;
/** ERROR-CODE (section 14.8): class * 100 + number, and the reason phrase. */
export declare function getErrorCode(msg: StunMessage): {
    code: number;
    reason: string;
} | undefined;
export declare function newTransactionId(): Buffer;
/** Builds one message. Attributes are written in the order added. */
export declare class MessageBuilder {
    private readonly parts;
    private length;
    readonly tid: Buffer;
    readonly type: number;
    constructor(method: number, cls: number, tid?: Buffer);
    add(type: number, value: Buffer): this;
    addString(type: number, s: string): this;
    addUint32(type: number, v: number): this;
    /** A 4-byte attribute whose first byte is `v` (REQUESTED-TRANSPORT, REQUESTED-ADDRESS-FAMILY). */
    addByte(type: number, v: number): this;
    addXorAddress(type: number, ip: string, port: number): this;
    addAddress(type: number, ip: string, port: number): this;
    addError(err: StunError): this;
    addUnknownAttributes(types: number[]): this;
    /**
     * Serialize. With `key`, MESSAGE-INTEGRITY is appended (section 14.5); with `fingerprint`,
     * FINGERPRINT after it (section 14.7).
     */
    build(opts?: {
        key?: Buffer | undefined;
        fingerprint?: boolean;
        sha256?: boolean;
    }): Buffer;
}
