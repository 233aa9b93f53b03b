const STATUS = {
    'bad-request': 400,
    unauthorized: 401,
    'not-found': 404,
    'not-in-room': 404,
    'unknown-peer': 404,
    'room-full': 409,
    'too-large': 413,
    'rate-limited': 429,
    internal: 500,
    unavailable: 503,
};
export function sendError(res, code, message) {
    res.status(STATUS[code]).json({ error: { code, message } });
}
//# sourceMappingURL=errors.js.map