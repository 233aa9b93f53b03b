/** Liveness and readiness for load balancers and orchestrators. */
import { Router } from 'express';
export function healthRoutes(readiness) {
    const r = Router();
    r.get('/healthz', (_req, res) => {
        res.json({ status: 'ok' });
    });
    r.get('/readyz', async (_req, res) => {
        const reason = await readiness.notReadyReason();
        if (reason)
            res.status(503).json({ status: 'not-ready', reason });
        else
            res.json({ status: 'ready' });
    });
    return r;
}
//# sourceMappingURL=health.js.map