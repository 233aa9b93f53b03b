const e = (code, reason) => Object.freeze({ code, reason });
export const ErrTryAlternate = e(300, 'Try Alternate');
export const ErrBadRequest = e(400, 'Bad Request');
export const ErrUnauthorized = e(401, 'Unauthorized');
export const ErrForbidden = e(403, 'Forbidden');
export const ErrUnknownAttribute = e(420, 'Unknown Attribute');
export const ErrAllocationMismatch = e(437, 'Allocation Mismatch');
export const ErrStaleNonce = e(438, 'Stale Nonce');
export const ErrAddressFamilyNotSupported = e(440, 'Address Family not Supported');
export const ErrWrongCredentials = e(441, 'Wrong Credentials');
export const ErrUnsupportedTransport = e(442, 'Unsupported Transport Protocol');
export const ErrPeerAddressFamilyMismatch = e(443, 'Peer Address Family Mismatch');
export const ErrAllocationQuotaReached = e(486, 'Allocation Quota Reached');
export const ErrServerError = e(500, 'Server Error');
export const ErrInsufficientCapacity = e(508, 'Insufficient Capacity');
//# sourceMappingURL=errors.js.map