/** GET /metrics (Prometheus), GET /api/events (SSE) and the /dashboard page. */
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { requireBearer } from '../http/bearer.js';
const DASHBOARD = fileURLToPath(new URL('./dashboard/', import.meta.url));
export function observabilityRoutes(metrics, live, token) {
    const r = Router();
    // /metrics takes the header only; the SSE stream and the dashboard also `?token=`.
    const auth = requireBearer(token);
    const authOrQuery = requireBearer(token, { allowQuery: true });
    r.get('/metrics', auth, async (_req, res) => {
        res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    r.get('/api/events', authOrQuery, live.handle);
    r.use('/dashboard', authOrQuery, express.static(DASHBOARD, { index: 'index.html' }));
    return r;
}
//# sourceMappingURL=routes.js.map