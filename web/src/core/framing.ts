/**
 * What travels on a peer's data channel. Text messages are JSON control messages (`t` names the
 * kind); binary messages start with a kind byte: file chunks are [0xF1][transfer id: u32 BE]
 * [payload], an application's binary message is [0xF2][payload]. One channel carries messages
 * and any number of concurrent transfers.
 */

export const CHUNK_MAGIC = 0xf1;
export const CHUNK_HEADER = 5;
/** First byte of an application's binary message (`Room.send(bytes)`). */
export const BINARY_MAGIC = 0xf2;
/**
 * The largest application message, in bytes as sent (the JSON of a text or JSON message, the
 * payload of a binary one). Browsers take data-channel messages of 256 KiB (Chromium, Firefox);
 * a quarter of that keeps one message from holding up file chunks and other peers' messages
 * for long on the same SCTP association.
 */
export const MESSAGE_MAX_BYTES = 64 * 1024;

export type ControlMessage =
  /** First on a new connection (and on a rename): the sender's name and protocol version (absent: 1). */
  | { t: 'hello'; name: string; v?: number }
  /** A text message (`Room.send('...')`; the web app's chat). */
  | { t: 'chat'; id: string; text: string; ts: number }
  /** A JSON message (`Room.send({ ... })`): `data` is any JSON value. */
  | { t: 'json'; id: string; data: unknown; ts: number }
  /** Call state, so tiles can say "muted" / "camera off". */
  | { t: 'media'; inCall: boolean; audio: boolean; video: boolean }
  /**
   * The sender's shared screen (Room.shareScreen): `mid` names the m= section (the transceiver's
   * mid, RFC 8843 section 2: one value for both ends) whose video is the screen, not the camera;
   * null when the sharing stopped.
   */
  | { t: 'screen'; mid: string | null }
  /** Non-initiator -> initiator: please replace this connection (e.g. relay-only was switched). */
  | { t: 'restart' }
  | { t: 'file-offer'; id: number; name: string; size: number; mime: string }
  /** Sender: every byte was sent; the receiver compares its own hash against this. */
  | { t: 'file-end'; id: number; sha256: string }
  /** Receiver: bytes received so far (the sender's progress bar follows this). */
  | { t: 'file-ack'; id: number; received: number }
  /**
   * Receiver, on a new connection to the sender after the old one was lost: it has the first
   * `received` bytes (hashed and kept); the sender continues from there.
   */
  | { t: 'file-resume'; id: number; received: number }
  /** Receiver: the file is complete; ok when the hashes matched. */
  | { t: 'file-done'; id: number; ok: boolean; sha256: string }
  | { t: 'file-cancel'; id: number; reason: string }
  /**
   * The answer to a malformed message: what was wrong with it. Never answered itself (a malformed
   * one is only counted), so two peers that disagree cannot loop.
   */
  | { t: 'protocol-error'; message: string };

/** The longest `protocol-error` message; a longer one is cut to this. */
export const PROTOCOL_ERROR_MAX = 512;

const MAX_TEXT = MESSAGE_MAX_BYTES;

export function encodeControl(m: ControlMessage): string {
  return JSON.stringify(m);
}

const isStr = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
/** A name from a peer (its hello, a file's): at most `max` characters, no C0 or C1 control characters. */
export const isName = (v: unknown, max: number): v is string => isStr(v, max) && !/[\u0000-\u001f\u007f-\u009f]/.test(v);
const isU32 = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isVersion = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
/**
 * An SDP `a=mid` value: an identification-tag is a token (RFC 5888 section 4, RFC 4566's token
 * characters); at most 32 of them here (browsers use short numbers).
 */
export const isMid = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9!#$%&'*+\-.^_`{|}~]{1,32}$/.test(v);

/** Parse and validate a control message from a peer; null for anything malformed. */
export function decodeControl(text: string): ControlMessage | null {
  let m: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    m = v as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (m.t) {
    case 'hello':
      if (!isName(m.name, 64) || !(m.v === undefined || isVersion(m.v))) return null;
      return m.v === undefined ? { t: 'hello', name: m.name } : { t: 'hello', name: m.name, v: m.v };
    case 'protocol-error':
      return isStr(m.message, PROTOCOL_ERROR_MAX) ? { t: 'protocol-error', message: m.message } : null;
    case 'chat':
      return isStr(m.id, 64) && isStr(m.text) && typeof m.ts === 'number' ? { t: 'chat', id: m.id, text: m.text, ts: m.ts } : null;
    case 'json':
      return isStr(m.id, 64) && 'data' in m && typeof m.ts === 'number' ? { t: 'json', id: m.id, data: m.data, ts: m.ts } : null;
    case 'media':
      return typeof m.inCall === 'boolean' && typeof m.audio === 'boolean' && typeof m.video === 'boolean'
        ? { t: 'media', inCall: m.inCall, audio: m.audio, video: m.video }
        : null;
    case 'screen':
      return m.mid === null || isMid(m.mid) ? { t: 'screen', mid: m.mid } : null;
    case 'restart':
      return { t: 'restart' };
    case 'file-offer':
      return isU32(m.id) && isName(m.name, 512) && isSize(m.size) && isStr(m.mime, 256)
        ? { t: 'file-offer', id: m.id, name: m.name, size: m.size, mime: m.mime }
        : null;
    case 'file-end':
      return isU32(m.id) && isHash(m.sha256) ? { t: 'file-end', id: m.id, sha256: m.sha256 } : null;
    case 'file-ack':
      return isU32(m.id) && isSize(m.received) ? { t: 'file-ack', id: m.id, received: m.received } : null;
    case 'file-resume':
      return isU32(m.id) && isSize(m.received) ? { t: 'file-resume', id: m.id, received: m.received } : null;
    case 'file-done':
      return isU32(m.id) && typeof m.ok === 'boolean' && isHash(m.sha256)
        ? { t: 'file-done', id: m.id, ok: m.ok, sha256: m.sha256 }
        : null;
    case 'file-cancel':
      return isU32(m.id) && isStr(m.reason, 256) ? { t: 'file-cancel', id: m.id, reason: m.reason } : null;
    default:
      return null;
  }
}

export function encodeChunk(id: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER + payload.length);
  out[0] = CHUNK_MAGIC;
  new DataView(out.buffer).setUint32(1, id >>> 0);
  out.set(payload, CHUNK_HEADER);
  return out;
}

export function encodeBinary(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + payload.length);
  out[0] = BINARY_MAGIC;
  out.set(payload, 1);
  return out;
}

export function decodeChunk(buf: Uint8Array): { id: number; payload: Uint8Array } | null {
  if (buf.length < CHUNK_HEADER || buf[0] !== CHUNK_MAGIC) return null;
  const id = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(1);
  return { id, payload: buf.subarray(CHUNK_HEADER) };
}

/** Split `data` into pieces of at most `size` bytes (views, no copies). */
export function* split(data: Uint8Array, size: number): Generator<Uint8Array> {
  for (let off = 0; off < data.length; off += size) yield data.subarray(off, Math.min(off + size, data.length));
}
