/** The express app: security headers, health, API, the built web client, JSON errors. */
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { apiRoutes, iceServersOverHttp, type ApiDeps } from './api.js';
import { sendError } from './errors.js';
import { healthRoutes, type Readiness } from './health.js';
import { roomName } from '../protocol/index.js';
import { type BootData, type PageState, renderPage, WebPage } from './web-page.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const PAGE_ROUTES = ['/', '/r/:room'];

export interface HttpDeps extends ApiDeps {
  readiness: Readiness;
  trustProxy: boolean;
  webRoot?: string;
  /** Extra routers mounted before the API's 404 (metrics, events: issue 7). */
  extraRoutes?: express.Router[];
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  const page = new WebPage(deps.webRoot ?? WEB_DIST);
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  // The page routes read the build (and its script's CSP hash) once per request, before helmet
  // writes the CSP; no other route touches it.
  const pageState = (res: Response): PageState => res.locals.page as PageState;
  app.get(PAGE_ROUTES, (_req, res, next) => {
    res.locals.page = page.current();
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          // The page's one inline script, by hash (server/http/web-page.ts); nothing else inline.
          // One function for the whole list: other routes get exactly `'self'`, not `'self'` twice.
          'script-src': [(_req, res) => {
            const p = (res as Response).locals.page as PageState | undefined; // only page routes have one
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
    }),
  );
  app.use(healthRoutes(deps.readiness));
  app.use('/api', express.json({ limit: '16kb' }));
  for (const r of deps.extraRoutes ?? []) app.use(r);
  app.use('/api', apiRoutes(deps));
  app.use('/api', (_req, res) => sendError(res, 'not-found', 'no such API route'));

  // The page template is served only rendered (below).
  app.use(['/page.html', '/page.html.tmp'], (_req, res) => sendError(res, 'not-found', 'no such file'));
  // Browsers ask for /favicon.ico when a page names no icon (the dashboard, an error page).
  app.get('/favicon.ico', (_req, res) => void res.redirect(301, '/favicon.svg'));
  app.use(express.static(deps.webRoot ?? WEB_DIST, { index: false, maxAge: '1h' }));
  // A room page carries its ICE servers on the terms of GET /api/ice-servers (see web-page.ts).
  const bootFor = async (room: string, token: unknown): Promise<BootData | null> => {
    const name = roomName.safeParse(room);
    if (!name.success) return null;
    const granted = await iceServersOverHttp(deps, name.data, typeof token === 'string' ? token : undefined, 'page');
    return granted.ok ? { iceServers: granted.iceServers } : null;
  };
  app.get(PAGE_ROUTES, async (req, res) => {
    const state = pageState(res); // read before helmet, above
    if (!state.ok) {
      res.status(503).type('text').send(state.reason);
      return;
    }
    const room = (req.params as { room?: string }).room;
    res.set('cache-control', 'no-store').type('html').send(renderPage(state.page, room === undefined ? null : await bootFor(room, req.query.t)));
  });

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') return sendError(res, 'too-large', 'request body too large');
    if (err.status === 400 || err.type === 'entity.parse.failed') return sendError(res, 'bad-request', 'malformed request body');
    sendError(res, 'internal', 'internal server error');
  };
  app.use(onError);
  return app;
}
