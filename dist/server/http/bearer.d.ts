/** The METRICS_TOKEN check shared by the operator routes (/api/stats, /api/cluster, /metrics, ...). */
import type { RequestHandler } from 'express';
/**
 * With `token` set, requests need `Authorization: Bearer <token>`; with `allowQuery`, `?token=` is
 * accepted too (EventSource and a dashboard link cannot send headers). Without a token: open.
 */
export declare function requireBearer(token: string | undefined, opts?: {
    allowQuery?: boolean;
}): RequestHandler;
