/**
 * STUN/TURN error codes as named values (RFC 8489 section 14.8, RFC 8656 section 18.7 / 19).
 * A handler answers with one of these; nothing else is ever sent in an ERROR-CODE attribute.
 */
export interface StunError {
    readonly code: number;
    readonly reason: string;
}
export declare const ErrTryAlternate: StunError;
export declare const ErrBadRequest: StunError;
export declare const ErrUnauthorized: StunError;
export declare const ErrForbidden: StunError;
export declare const ErrUnknownAttribute: StunError;
export declare const ErrAllocationMismatch: StunError;
export declare const ErrStaleNonce: StunError;
export declare const ErrAddressFamilyNotSupported: StunError;
export declare const ErrWrongCredentials: StunError;
export declare const ErrUnsupportedTransport: StunError;
export declare const ErrPeerAddressFamilyMismatch: StunError;
export declare const ErrAllocationQuotaReached: StunError;
export declare const ErrServerError: StunError;
export declare const ErrInsufficientCapacity: StunError;
