/** Liveness and readiness for load balancers and orchestrators. */
import { Router } from 'express';

export interface Readiness {
  /** Undefined when ready, else why not (shutting down, Redis unreachable, ...). */
  notReadyReason(): Promise<string | undefined>;
}

export function healthRoutes(readiness: Readiness): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const reason = await readiness.notReadyReason();
    if (reason) res.status(503).json({ status: 'not-ready', reason });
    else res.json({ status: 'ready' });
  });
  return r;
}
