import { sendError } from './errors.js';
/**
 * With `token` set, requests need `Authorization: Bearer <token>`; with `allowQuery`, `?token=` is
 * accepted too (EventSource and a dashboard link cannot send headers). Without a token: open.
 */
export function requireBearer(token, opts = {}) {
    return (req, res, next) => {
        if (!token)
            return next();
        if (req.get('authorization') === `Bearer ${token}` || (opts.allowQuery && req.query.token === token))
            return next();
        sendError(res, 'unauthorized', 'bearer token required (METRICS_TOKEN)');
    };
}
//# sourceMappingURL=bearer.js.map