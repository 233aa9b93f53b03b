/** `signal { to, data }`: forward SDP/ICE/renegotiation data to a peer of the same room. */
import { type SignalRequest } from '../../protocol/index.js';
import { type Handler } from '../context.js';
export declare const signal: Handler<SignalRequest>;
/**
 * Size check before schema validation, so an oversized payload is `too-large` rather than a
 * confusing schema error. Measured as the JSON the server would forward. Serialising every
 * signal to learn its size costs more than relaying it, so a cheap upper bound comes first and
 * the exact figure is computed only for payloads the bound cannot clear.
 */
export declare function signalTooLarge(raw: unknown, maxBytes: number): string | undefined;
/**
 * True when `value` serialises to at most `limit` bytes of JSON, by a bound that never
 * underestimates: a string of n UTF-16 units is at most 6n + 2 bytes (`\u001f` escapes; any
 * other unit is at most 3 bytes of UTF-8). False means "not proven", not "too large".
 */
export declare function jsonBytesAtMost(value: unknown, limit: number): boolean;
