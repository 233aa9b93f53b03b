/**
 * The closed set of error codes a client can receive, in acks (`{ ok: false, error }`), in
 * `protocol-error` events (for events sent without an ack) and in `connect_error`.
 */
export const ERROR_CODES = [
  /** The payload failed validation (wrong type, missing field, bad room name, ...). */
  'bad-request',
  /** The room already holds ROOM_CAPACITY peers. */
  'room-full',
  /** The event needs a joined room and the socket is in none. */
  'not-in-room',
  /** `signal.to` names no peer in the sender's room. */
  'unknown-peer',
  /** The socket's token bucket is empty, or too many connections from one address. */
  'rate-limited',
  /** A room token was needed and is missing, invalid or expired; or a bad resume key. */
  'unauthorized',
  /** `signal.data` is larger than SIGNAL_MAX_BYTES. */
  'too-large',
  /** The server is shutting down or a backing service (Redis) is unreachable: try another node. */
  'unavailable',
  /** HTTP only: no such API route or resource. */
  'not-found',
  /** A bug on the server: the request was not applied. */
  'internal',
] as const;

/** One of {@link ERROR_CODES}: what went wrong, for a program to act on. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A refused request: the code to act on and a message for people. */
export interface ProtocolError {
  /** What went wrong. */
  code: ErrorCode;
  /** A human-readable detail, e.g. which field failed validation. */
  message: string;
}

/**
 * The answer to an event sent with an acknowledgement callback: `{ ok: true, ...T }` on success,
 * `{ ok: false, error }` when the request was refused (and not applied).
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

/** The failure answer `{ ok: false, error: { code, message } }`. */
export function fail(code: ErrorCode, message: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}
