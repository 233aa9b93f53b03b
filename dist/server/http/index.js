/** The express app: security headers, health, API, the built web client, JSON errors. */
import { fileURLToPath } from 'node:url';
import express, {} from 'express';
import helmet from 'helmet';
import { apiRoutes, iceServersOverHttp } from './api.js';
import { sendError } from './errors.js';
import { healthRoutes } from './health.js';
import { roomName } from '../protocol/index.js';
import { renderPage, WebPage } from './web-page.js';
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const PAGE_ROUTES = ['/', '/r/:room'];
export function createHttpApp(deps) {
    const app = express();
    const page = new WebPage(deps.webRoot ?? WEB_DIST);
    app.disable('x-powered-by');
    app.set('trust proxy', deps.trustProxy);
    // The page routes read the build (and its script's CSP hash) once per request, before helmet
    // writes the CSP; no other route touches it.
    const pageState = (res) => res.locals.page;
    app.get(PAGE_ROUTES, (_req, res, next) => {
        res.locals.page = page.current();
        next();
    });
    app.use(helmet({
        contentSecurityPolicy: {
            directives: {
                'default-src': ["'self'"],
                // The page's one inline script, by hash (server/http/web-page.ts); nothing else inline.
                // One function for the whole list: other routes get exactly `'self'`, not `'self'` twice.
                'script-src': [(_req, res) => {
                        const p = res.locals.page; // only page routes have one
                        return p?.ok ? `'self' ${p.page.scriptHash}` : "'self'";
                    }],
                'style-src': ["'self'", "'unsafe-inline'"],
                'img-src': ["'self'", 'data:', 'blob:'],
                'media-src': ["'self'", 'blob:', 'mediastream:'],
                'connect-src': ["'self'", 'ws:', 'wss:'],
                // The app is also served over plain http on LAN/test addresses: never force https.
                'upgrade-insecure-requests': null,
            },
        },
        strictTransportSecurity: false,
    }));
    app.use(healthRoutes(deps.readiness));
    app.use('/api', express.json({ limit: '16kb' }));
    for (const r of deps.extraRoutes ?? [])
        app.use(r);
    app.use('/api', apiRoutes(deps));
    app.use('/api', (_req, res) => sendError(res, 'not-found', 'no such API route'));
    // The page template is served only rendered (below).
    app.use(['/page.html', '/page.html.tmp'], (_req, res) => sendError(res, 'not-found', 'no such file'));
    app.use(express.static(deps.webRoot ?? WEB_DIST, { index: false, maxAge: '1h' }));
    // A room page carries its ICE servers on the terms of GET /api/ice-servers (see web-page.ts).
    const bootFor = (room, token) => {
        const name = roomName.safeParse(room);
        if (!name.success)
            return null;
        const granted = iceServersOverHttp(deps, name.data, typeof token === 'string' ? token : undefined, 'page');
        return granted.ok ? { iceServers: granted.iceServers } : null;
    };
    app.get(PAGE_ROUTES, (req, res) => {
        const state = pageState(res); // read before helmet, above
        if (!state.ok) {
            res.status(503).type('text').send(state.reason);
            return;
        }
        const room = req.params.room;
        res.set('cache-control', 'no-store').type('html').send(renderPage(state.page, room === undefined ? null : bootFor(room, req.query.t)));
    });
    const onError = (err, _req, res, _next) => {
        if (err.type === 'entity.too.large')
            return sendError(res, 'too-large', 'request body too large');
        if (err.status === 400 || err.type === 'entity.parse.failed')
            return sendError(res, 'bad-request', 'malformed request body');
        sendError(res, 'internal', 'internal server error');
    };
    app.use(onError);
    return app;
}
//# sourceMappingURL=index.js.map