/** Liveness and readiness for load balancers and orchestrators. */
import { Router } from 'express';
export interface Readiness {
    /** Undefined when ready, else why not (shutting down, Redis unreachable, ...). */
    notReadyReason(): Promise<string | undefined>;
}
export declare function healthRoutes(readiness: Readiness): Router;
