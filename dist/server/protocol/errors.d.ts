/**
 * The closed set of error codes a client can receive, in acks (`{ ok: false, error }`), in
 * `protocol-error` events (for events sent without an ack) and in `connect_error`.
 */
export declare const ERROR_CODES: readonly ["bad-request", "room-full", "not-in-room", "unknown-peer", "rate-limited", "unauthorized", "too-large", "unavailable", "not-found", "internal"];
export type ErrorCode = (typeof ERROR_CODES)[number];
export interface ProtocolError {
    code: ErrorCode;
    message: string;
}
export type Ack<T extends object = object> = ({
    ok: true;
} & T) | {
    ok: false;
    error: ProtocolError;
};
export declare function fail(code: ErrorCode, message: string): {
    ok: false;
    error: ProtocolError;
};
