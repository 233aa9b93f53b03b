import express from 'express';
import { type ApiDeps } from './api.js';
import { type Readiness } from './health.js';
export declare const WEB_DIST: string;
export interface HttpDeps extends ApiDeps {
    readiness: Readiness;
    trustProxy: boolean;
    webRoot?: string;
    /** Extra routers mounted before the API's 404 (metrics, events: issue 7). */
    extraRoutes?: express.Router[];
}
export declare function createHttpApp(deps: HttpDeps): express.Express;
