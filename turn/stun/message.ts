/**
 * STUN message codec (RFC 8489 sections 5, 6 and 14).
 *
 * Decoding never throws and never copies: a message is the buffer plus a list of attribute
 * (type, value offset, value length) triples. Encoding goes through `MessageBuilder`, which writes
 * MESSAGE-INTEGRITY and FINGERPRINT last, as section 14 requires.
 */
import { randomBytes } from 'node:crypto';
import { Attr, HEADER_LENGTH, MAGIC_COOKIE, classOf, messageType, methodOf } from './constants.js';
import { computeIntegrity, fingerprintOf } from './integrity.js';
import { decodeAddress, encodeAddress, type TransportAddress } from './address.js';
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
export const MAX_ATTRIBUTES = 64;

/** Quick test whether a buffer can be a STUN message (first two bits zero and the magic cookie). */
export function looksLikeStun(buf: Buffer): boolean {
  return buf.length >= HEADER_LENGTH && (buf[0]! & 0xc0) === 0 && buf.readUInt32BE(4) === MAGIC_COOKIE;
}

/**
 * Decode one STUN message occupying all of `buf`. Returns null when it is not a well-formed
 * message (RFC 8489 section 6.3: such messages are discarded silently).
 */
export function decode(buf: Buffer): StunMessage | null {
  if (!looksLikeStun(buf)) return null;
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER_LENGTH + length !== buf.length) return null;
  const type = buf.readUInt16BE(0);
  const attrs: StunAttribute[] = [];
  let pos = HEADER_LENGTH;
  let sawIntegrity = false;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) return null;
    const at = buf.readUInt16BE(pos);
    const alen = buf.readUInt16BE(pos + 2);
    const next = pos + 4 + ((alen + 3) & ~3);
    if (next > buf.length) return null;
    if (attrs.length >= MAX_ATTRIBUTES) return null;
    if (at === Attr.Fingerprint) {
      // FINGERPRINT is always last (section 14.7).
      if (next !== buf.length) return null;
      attrs.push({ type: at, offset: pos + 4, length: alen });
    } else if (!sawIntegrity) {
      attrs.push({ type: at, offset: pos + 4, length: alen });
      if (at === Attr.MessageIntegrity) sawIntegrity = true;
    } else if (at === Attr.MessageIntegritySha256) {
      // Section 14.5: after MESSAGE-INTEGRITY only MI-SHA256 and FINGERPRINT count.
      attrs.push({ type: at, offset: pos + 4, length: alen });
    }
    if (at === Attr.MessageIntegritySha256) sawIntegrity = true;
    pos = next;
  }
  return { buf, type, method: methodOf(type), cls: classOf(type), tid: buf.subarray(8, 20), attrs };
}

export function getAttr(msg: StunMessage, type: number): StunAttribute | undefined {
  for (const a of msg.attrs) if (a.type === type) return a;
  return undefined;
}

export function getAllAttrs(msg: StunMessage, type: number): StunAttribute[] {
  return msg.attrs.filter((a) => a.type === type);
}

export function attrValue(msg: StunMessage, a: StunAttribute): Buffer {
  return msg.buf.subarray(a.offset, a.offset + a.length);
}

export function getString(msg: StunMessage, type: number): string | undefined {
  const a = getAttr(msg, type);
  return a ? msg.buf.toString('utf8', a.offset, a.offset + a.length) : undefined;
}

export function getUint32(msg: StunMessage, type: number): number | undefined {
  const a = getAttr(msg, type);
  return a && a.length === 4 ? msg.buf.readUInt32BE(a.offset) : undefined;
}

/** XOR-* address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
export function getXorAddress(msg: StunMessage, type: number): TransportAddress | null | undefined {
  const a = getAttr(msg, type);
  return a ? decodeAddress(msg.buf, a.offset, a.length, msg.tid) : undefined;
}

/** ERROR-CODE (section 14.8): class * 100 + number, and the reason phrase. */
export function getErrorCode(msg: StunMessage): { code: number; reason: string } | undefined {
  const a = getAttr(msg, Attr.ErrorCode);
  if (!a || a.length < 4) return undefined;
  const code = (msg.buf[a.offset + 2]! & 0x07) * 100 + msg.buf[a.offset + 3]!;
  return { code, reason: msg.buf.toString('utf8', a.offset + 4, a.offset + a.length) };
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/** Builds one message. Attributes are written in the order added. */
export class MessageBuilder {
  private readonly parts: Buffer[] = [];
  private length = 0;
  readonly tid: Buffer;
  readonly type: number;

  constructor(method: number, cls: number, tid?: Buffer) {
    this.type = messageType(method, cls);
    this.tid = tid ?? newTransactionId();
  }

  add(type: number, value: Buffer): this {
    const head = Buffer.allocUnsafe(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    this.parts.push(head, value);
    const pad = (4 - (value.length % 4)) % 4;
    if (pad) this.parts.push(Buffer.alloc(pad));
    this.length += 4 + value.length + pad;
    return this;
  }

  addString(type: number, s: string): this {
    return this.add(type, Buffer.from(s, 'utf8'));
  }

  addUint32(type: number, v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(v >>> 0, 0);
    return this.add(type, b);
  }

  /** A 4-byte attribute whose first byte is `v` (REQUESTED-TRANSPORT, REQUESTED-ADDRESS-FAMILY). */
  addByte(type: number, v: number): this {
    return this.add(type, Buffer.from([v, 0, 0, 0]));
  }

  addXorAddress(type: number, ip: string, port: number): this {
    return this.add(type, encodeAddress(ip, port, this.tid));
  }

  addAddress(type: number, ip: string, port: number): this {
    return this.add(type, encodeAddress(ip, port, null));
  }

  addError(err: StunError): this {
    const reason = Buffer.from(err.reason, 'utf8');
    const v = Buffer.alloc(4 + reason.length);
    v[2] = Math.floor(err.code / 100);
    v[3] = err.code % 100;
    reason.copy(v, 4);
    return this.add(Attr.ErrorCode, v);
  }

  /** ADDRESS-ERROR-CODE (RFC 8656 section 18.13): ERROR-CODE's layout with the family in byte 0. */
  addAddressError(family: number, err: StunError): this {
    const reason = Buffer.from(err.reason, 'utf8');
    const v = Buffer.alloc(4 + reason.length);
    v[0] = family;
    v[2] = Math.floor(err.code / 100);
    v[3] = err.code % 100;
    reason.copy(v, 4);
    return this.add(Attr.AddressErrorCode, v);
  }

  addUnknownAttributes(types: number[]): this {
    const v = Buffer.allocUnsafe(types.length * 2);
    types.forEach((t, i) => v.writeUInt16BE(t, i * 2));
    return this.add(Attr.UnknownAttributes, v);
  }

  /**
   * Serialize. With `key`, MESSAGE-INTEGRITY is appended (section 14.5); with `fingerprint`,
   * FINGERPRINT after it (section 14.7).
   */
  build(opts: { key?: Buffer | undefined; fingerprint?: boolean; sha256?: boolean } = {}): Buffer {
    const miLen = opts.key ? (opts.sha256 ? 36 : 24) : 0;
    const fpLen = opts.fingerprint ? 8 : 0;
    const out = Buffer.allocUnsafe(HEADER_LENGTH + this.length + miLen + fpLen);
    out.writeUInt16BE(this.type, 0);
    out.writeUInt16BE(this.length + miLen, 2);
    out.writeUInt32BE(MAGIC_COOKIE, 4);
    this.tid.copy(out, 8, 0, 12);
    let pos = HEADER_LENGTH;
    for (const p of this.parts) pos += p.copy(out, pos);
    if (opts.key) {
      out.writeUInt16BE(opts.sha256 ? Attr.MessageIntegritySha256 : Attr.MessageIntegrity, pos);
      out.writeUInt16BE(miLen - 4, pos + 2);
      computeIntegrity(out, pos, opts.key, opts.sha256).copy(out, pos + 4);
      pos += miLen;
    }
    if (opts.fingerprint) {
      out.writeUInt16BE(out.readUInt16BE(2) + 8, 2);
      out.writeUInt16BE(Attr.Fingerprint, pos);
      out.writeUInt16BE(4, pos + 2);
      out.writeUInt32BE(fingerprintOf(out, pos), pos + 4);
    }
    return out;
  }
}
