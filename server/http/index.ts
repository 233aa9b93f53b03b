/** The express app: security headers, health, API, the built web client, JSON errors. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import { apiRoutes, type ApiDeps } from './api.js';
import { sendError } from './errors.js';
import { healthRoutes, type Readiness } from './health.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface HttpDeps extends ApiDeps {
  readiness: Readiness;
  trustProxy: boolean;
  webRoot?: string;
  /** Extra routers mounted before the API's 404 (metrics, events: issue 7). */
  extraRoutes?: express.Router[];
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
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

  const root = deps.webRoot ?? WEB_DIST;
  app.use(express.static(root, { index: 'index.html', maxAge: '1h' }));
  const index = `${root}/index.html`;
  app.get(['/', '/r/:room'], (_req, res) => {
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type('text').send('web client not built: run `npm run build:web`');
  });

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') return sendError(res, 'too-large', 'request body too large');
    if (err.status === 400 || err.type === 'entity.parse.failed') return sendError(res, 'bad-request', 'malformed request body');
    sendError(res, 'internal', 'internal server error');
  };
  app.use(onError);
  return app;
}
