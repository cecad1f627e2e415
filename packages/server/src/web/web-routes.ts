import express from 'express';
import type { RequestHandler } from 'express';
import type { RouteModule } from '../app/app-deps.ts';
import { formBody } from './forms/form-body.ts';
import { dashboardRoutes } from './routes/office/dashboard-routes.ts';
import { officePageRoutes } from './routes/office/office-page-routes.ts';
import { planImportRoutes } from './routes/office/plan-import-routes.ts';
import { planRevisionRoutes } from './routes/office/plan-revision-routes.ts';
import { reviewPageRoutes } from './routes/review-page-routes.ts';
import { sessionRoutes } from './routes/people/session-routes.ts';
import { ssoRoutes } from './routes/people/sso-routes.ts';
import { accountRoutes } from './routes/people/account-routes.ts';
import { adminRoutes } from './routes/admin/admin-routes.ts';
import { adminUnitRoutes } from './routes/admin/admin-unit-routes.ts';
import { taskFileRoutes } from './routes/tasks/task-file-routes.ts';
import { taskPageRoutes } from './routes/tasks/task-page-routes.ts';
import { unitPageRoutes } from './routes/unit-page-routes.ts';
import { noticeChannelPageRoutes } from './routes/office/notice-channel-page-routes.ts';
import { inboxPageRoutes } from './routes/office/inbox-page-routes.ts';
import { cyclePageRoutes } from './routes/office/cycle-page-routes.ts';
import { taskListRoutes } from './routes/tasks/task-list-routes.ts';
import { leaderPageRoutes } from './routes/leader-page-routes.ts';
import { circularPageRoutes } from './routes/office/circular-page-routes.ts';
import { webSecurityHeaders } from './security-headers.ts';
import type { WebAsset } from './view/web-assets.ts';
import { webAssets } from './view/web-assets.ts';
import { pageNotFound, webErrors } from './web-errors.ts';
import { recordAccess } from '../audit/access/record-access.ts';
import { rateLimit } from '../rate-limit/rate-limit.ts';
import type { RateBudget } from '../rate-limit/rate-limit.ts';
import { loadViewer, viewerOf } from './session/web-viewer.ts';
import { callerKey } from '../auth/principal.ts';

function serveAsset(asset: WebAsset): RequestHandler {
  return (_req, res) => {
    // The URL carries the content's hash, so the file may be kept as long as the browser likes.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(asset.type).send(asset.body);
  };
}

/** The pages that show what the API's reads show (the log, past days, the tasks, the reports, the notices): their reads are recorded alike. */
const PAGE_READS = /^\/(audit|history|tasks|dashboard|queue|inbox|ledger|assessment|circular|circulars|notifications|notice-channels|notice-deliveries|watching)(\/|\?|\.|$)/i;

/**
 * A signed-in viewer's requests count against the token its session stands for (one budget, whether
 * it calls the API or uses the pages); sign-in attempts count per client address.
 */
const pageBudget: RateBudget = (req, res) => {
  const viewer = viewerOf(res);
  if (viewer !== undefined) return { key: callerKey(viewer.principal), whose: viewer.principal.tokenId > 0 ? 'with this token' : 'of this account' };
  return req.method === 'POST' ? { key: `sign-in:${req.ip ?? 'unknown'}`, whose: 'from this address' } : undefined;
};

/**
 * The web pages, in Chinese, for units, the office and reviewers: their own session sign-in (cookie,
 * server-side session table, anti-forgery token on every form), page CSP, HTML error pages, and the
 * stylesheet, script and icon. Mount outside `/api`: nothing here answers a path under it.
 */
export const webRoutes: RouteModule = (deps) => (router) => {
  const web = express.Router();
  // Whatever reaches here under /api is the API's own 404 to give.
  web.use((req, _res, next) => next(req.path === '/api' || req.path.startsWith('/api/') ? 'router' : undefined));
  web.use(webSecurityHeaders());
  web.get('/assets/duban.css', serveAsset(webAssets.css));
  web.get('/assets/duban.js', serveAsset(webAssets.js));
  web.get(['/assets/favicon.svg', '/favicon.ico'], serveAsset(webAssets.icon));
  web.use(...formBody(), loadViewer(deps.sessions, deps.clock, deps.inbox), rateLimit(deps.rateLimit, deps.clock, pageBudget), recordAccess(deps.accessLog, deps.clock, (res) => viewerOf(res)?.principal, PAGE_READS));
  for (const routes of [sessionRoutes, ssoRoutes, accountRoutes, adminRoutes, adminUnitRoutes, leaderPageRoutes, taskListRoutes, taskFileRoutes, taskPageRoutes, dashboardRoutes, officePageRoutes, circularPageRoutes, inboxPageRoutes, unitPageRoutes, reviewPageRoutes, planImportRoutes, planRevisionRoutes, noticeChannelPageRoutes, cyclePageRoutes]) routes(deps)(web);
  web.use(pageNotFound());
  web.use(webErrors(deps.logger));
  router.use(web);
};
