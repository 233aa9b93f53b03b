/** The METRICS_TOKEN check shared by the operator routes (/api/stats, /api/cluster, /metrics, ...). */
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

/**
 * With `token` set, requests need `Authorization: Bearer <token>`; with `allowQuery`, `?token=` is
 * accepted too (EventSource and a dashboard link cannot send headers). Without a token: open.
 */
export function requireBearer(token: string | undefined, opts: { allowQuery?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    if (!token) return next();
    if (req.get('authorization') === `Bearer ${token}` || (opts.allowQuery && req.query.token === token)) return next();
    sendError(res, 'unauthorized', 'bearer token required (METRICS_TOKEN)');
  };
}
