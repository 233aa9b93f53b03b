import { Router } from 'express';
import type { LiveFeed } from './live.js';
import type { Metrics } from './metrics.js';
export declare function observabilityRoutes(metrics: Metrics, live: LiveFeed, token: string | undefined): Router;
