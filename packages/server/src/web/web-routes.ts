import express from 'express';
import type { RequestHandler } from 'express';
import type { RouteModule } from '../app/app-deps.ts';
import { formBody } from './forms/form-body.ts';
import { dashboardRoutes } from './routes/dashboard-routes.ts';
import { officePageRoutes } from './routes/office-page-routes.ts';
import { reviewPageRoutes } from './routes/review-page-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { taskPageRoutes } from './routes/task-page-routes.ts';
import { unitPageRoutes } from './routes/unit-page-routes.ts';
import { webSecurityHeaders } from './security-headers.ts';
import { SessionStore } from './session/session-store.ts';
import type { WebAsset } from './view/web-assets.ts';
import { webAssets } from './view/web-assets.ts';
import { pageNotFound, webErrors } from './web-errors.ts';
import { recordPageAccess } from '../audit/access/record-page-access.ts';
import { webRateLimit } from '../rate-limit/web-rate-limit.ts';
import { loadViewer } from './session/web-viewer.ts';

function serveAsset(asset: WebAsset): RequestHandler {
  return (_req, res) => {
    // The URL carries the content's hash, so the file may be kept as long as the browser likes.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(asset.type).send(asset.body);
  };
}

/**
 * The web pages, in Chinese, for units, the office and reviewers: their own session sign-in (cookie,
 * server-side session table, anti-forgery token on every form), page CSP, HTML error pages, and the
 * stylesheet, script and icon. Mount outside `/api`: nothing here answers a path under it.
 */
export const webRoutes: RouteModule = (deps) => (router) => {
  const sessions = new SessionStore(deps.engine.store.kysely);
  const web = express.Router();
  // Whatever reaches here under /api is the API's own 404 to give.
  web.use((req, _res, next) => next(req.path === '/api' || req.path.startsWith('/api/') ? 'router' : undefined));
  web.use(webSecurityHeaders());
  web.get('/assets/duban.css', serveAsset(webAssets.css));
  web.get('/assets/duban.js', serveAsset(webAssets.js));
  web.get(['/assets/favicon.svg', '/favicon.ico'], serveAsset(webAssets.icon));
  web.use(...formBody(), loadViewer(sessions, deps.clock), webRateLimit(deps.rateLimit, deps.clock), recordPageAccess(deps.accessLog, deps.clock));
  for (const routes of [sessionRoutes(deps, sessions), taskPageRoutes(deps), dashboardRoutes(deps), officePageRoutes(deps), unitPageRoutes(deps), reviewPageRoutes(deps)]) routes(web);
  web.use(pageNotFound());
  web.use(webErrors(deps.logger));
  router.use(web);
};
