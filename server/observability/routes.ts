/** GET /metrics (Prometheus), GET /api/events (SSE) and the /dashboard page. */
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import { sendError } from '../http/errors.js';
import type { LiveFeed } from './live.js';
import type { Metrics } from './metrics.js';

const DASHBOARD = fileURLToPath(new URL('./dashboard/', import.meta.url));

/**
 * With METRICS_TOKEN set, these routes need `Authorization: Bearer <token>`; the SSE stream and the
 * dashboard also take `?token=` because EventSource cannot send headers.
 */
export function requireToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!token) return next();
    if (req.get('authorization') === `Bearer ${token}` || req.query.token === token) return next();
    sendError(res, 'unauthorized', 'bearer token required (METRICS_TOKEN)');
  };
}

export function observabilityRoutes(metrics: Metrics, live: LiveFeed, token: string | undefined): Router {
  const r = Router();
  const auth = requireToken(token);
  r.get('/metrics', auth, async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  r.get('/api/events', auth, live.handle);
  r.use('/dashboard', auth, express.static(DASHBOARD, { index: 'index.html' }));
  return r;
}
