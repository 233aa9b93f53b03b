/**
 * What travels on a peer's data channel. Text messages are JSON control messages; binary
 * messages are file chunks: [0xF1][transfer id: u32 BE][payload]. One channel carries chat and any
 * number of concurrent transfers.
 */
export const CHUNK_MAGIC = 0xf1;
export const CHUNK_HEADER = 5;
const MAX_TEXT = 16 * 1024;
export function encodeControl(m) {
    return JSON.stringify(m);
}
const isStr = (v, max = MAX_TEXT) => typeof v === 'string' && v.length <= max;
const isU32 = (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const isSize = (v) => Number.isSafeInteger(v) && v >= 0;
const isHash = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
/** Parse and validate a control message from a peer; null for anything malformed. */
export function decodeControl(text) {
    let m;
    try {
        const v = JSON.parse(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v))
            return null;
        m = v;
    }
    catch {
        return null;
    }
    switch (m.t) {
        case 'hello':
            return isStr(m.name, 64) ? { t: 'hello', name: m.name } : null;
        case 'chat':
            return isStr(m.id, 64) && isStr(m.text) && typeof m.ts === 'number' ? { t: 'chat', id: m.id, text: m.text, ts: m.ts } : null;
        case 'media':
            return typeof m.inCall === 'boolean' && typeof m.audio === 'boolean' && typeof m.video === 'boolean'
                ? { t: 'media', inCall: m.inCall, audio: m.audio, video: m.video }
                : null;
        case 'restart':
            return { t: 'restart' };
        case 'file-offer':
            return isU32(m.id) && isStr(m.name, 512) && isSize(m.size) && isStr(m.mime, 256)
                ? { t: 'file-offer', id: m.id, name: m.name, size: m.size, mime: m.mime }
                : null;
        case 'file-end':
            return isU32(m.id) && isHash(m.sha256) ? { t: 'file-end', id: m.id, sha256: m.sha256 } : null;
        case 'file-ack':
            return isU32(m.id) && isSize(m.received) ? { t: 'file-ack', id: m.id, received: m.received } : null;
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
export function encodeChunk(id, payload) {
    const out = new Uint8Array(CHUNK_HEADER + payload.length);
    out[0] = CHUNK_MAGIC;
    new DataView(out.buffer).setUint32(1, id >>> 0);
    out.set(payload, CHUNK_HEADER);
    return out;
}
export function decodeChunk(buf) {
    if (buf.length < CHUNK_HEADER || buf[0] !== CHUNK_MAGIC)
        return null;
    const id = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(1);
    return { id, payload: buf.subarray(CHUNK_HEADER) };
}
/** Split `data` into pieces of at most `size` bytes (views, no copies). */
export function* split(data, size) {
    for (let off = 0; off < data.length; off += size)
        yield data.subarray(off, Math.min(off + size, data.length));
}
//# sourceMappingURL=framing.js.map