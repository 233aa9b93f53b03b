/**
 * Application messages (`Room.send`): what a caller may send, checked and encoded before anything
 * leaves (see framing.ts for the wire forms), and what a peer's frame decodes to.
 */
import { SwitchboardError } from './errors.js';
import { MESSAGE_MAX_BYTES, encodeBinary, encodeControl } from './framing.js';

/** A value that survives JSON: what `send` takes besides text and bytes. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * What `Room.send` takes: text, bytes, or a JSON value (an object, array, number, boolean or null).
 * `object` is there so that values typed by an interface are taken; it is checked at run time
 * (what JSON.stringify cannot encode is refused).
 */
export type MessageData = string | Uint8Array | ArrayBuffer | ArrayBufferView | JsonValue | object;

/** A message from a peer. */
export type Message =
  | { from: string; kind: 'text'; data: string; id: string; ts: number }
  | { from: string; kind: 'json'; data: unknown; id: string; ts: number }
  | { from: string; kind: 'binary'; data: Uint8Array };

const utf8 = new TextEncoder();

function tooLarge(bytes: number): SwitchboardError {
  return new SwitchboardError('too-large', `message is ${bytes} bytes; the limit is ${MESSAGE_MAX_BYTES} (send larger data with sendFile)`);
}

/** The frame for `data`, or a SwitchboardError naming what is wrong with it. */
export function encodeMessage(data: unknown, id: string, ts: number): { frame: string | Uint8Array; kind: Message['kind'] } {
  if (typeof data === 'string') {
    const frame = encodeControl({ t: 'chat', id, text: data, ts });
    const bytes = utf8.encode(frame).length;
    if (bytes > MESSAGE_MAX_BYTES) throw tooLarge(bytes);
    return { frame, kind: 'text' };
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (view.length + 1 > MESSAGE_MAX_BYTES) throw tooLarge(view.length + 1);
    return { frame: encodeBinary(view), kind: 'binary' };
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    throw new SwitchboardError('invalid-argument', 'send() takes text, bytes or JSON; send a Blob or File with sendFile()');
  }
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol' || typeof data === 'bigint') {
    throw new SwitchboardError('invalid-argument', `send() cannot send a ${data === undefined ? 'undefined value' : typeof data}: it takes text, bytes or a JSON value`);
  }
  let frame: string;
  try {
    frame = encodeControl({ t: 'json', id, data, ts });
  } catch (err) {
    throw new SwitchboardError('invalid-argument', `send() could not encode the value as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bytes = utf8.encode(frame).length;
  if (bytes > MESSAGE_MAX_BYTES) throw tooLarge(bytes);
  return { frame, kind: 'json' };
}
