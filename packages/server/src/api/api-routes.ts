import express from 'express';
import type { RouteModule } from '../app/app-deps.ts';
import { recordAccess } from '../audit/access/record-access.ts';
import { authenticate } from '../auth/authenticate.ts';
import { principalOf } from '../auth/principal.ts';
import { jsonBody } from '../http/json-body.ts';
import { rateLimit } from '../rate-limit/rate-limit.ts';
import type { RateBudget } from '../rate-limit/rate-limit.ts';
import { accessLogRoutes } from './routes/audit/access-log-routes.ts';
import { auditRoutes } from './routes/audit/audit-routes.ts';
import { bulkRoutes } from './routes/tasks/bulk-routes.ts';
import { eventRoutes } from './routes/tasks/event-routes.ts';
import { fileRoutes, fileUploadRoutes } from './routes/tasks/file-routes.ts';
import { historyRoutes } from './routes/tasks/history-routes.ts';
import { inboxRoutes } from './routes/office/inbox-routes.ts';
import { notificationRoutes } from './routes/office/notification-routes.ts';
import { planRoutes } from './routes/organisation/plan-routes.ts';
import { planRevisionRoutes, planTaskRoutes } from './routes/organisation/plan-amendment-routes.ts';
import { noticeChannelRoutes } from './routes/office/notice-channel-routes.ts';
import { proofRoutes } from './routes/audit/proof-routes.ts';
import { replayDiffRoutes } from './routes/audit/replay-diff-routes.ts';
import { replayRoutes } from './routes/audit/replay-routes.ts';
import { reportRoutes } from './routes/office/report-routes.ts';
import { taskRoutes } from './routes/tasks/task-routes.ts';
import { unitRoutes } from './routes/organisation/unit-routes.ts';
import { watchRoutes } from './routes/tasks/watch-routes.ts';
import { circularRoutes } from './routes/office/circular-routes.ts';
import { cycleRoutes } from './routes/office/cycle-routes.ts';

/** The API reads the access log records: the log, its replays, the tasks, the reports, the notifications and who reported in which cycle. Express matches routes case-insensitively, so must this. */
const API_READS = /^\/api\/(audit|replay|tasks|reports|notifications|inbox|notice-channels|notice-people|notice-deliveries|plans\/[^/?]+\/cycles)(\/|\?|$)/i;

/** An API request counts against its token's budget. */
const tokenBudget: RateBudget = (_req, res) => ({ key: `token:${principalOf(res).tokenId}`, whose: 'with this token' });

/**
 * The JSON API under /api: a bearer token (401 without one), its rate limit, JSON bodies only, the
 * access log for reviewers' and the office's reads, then every route module. Mount at `/api`.
 */
export const apiRoutes: RouteModule = (deps) => (router) => {
  const api = express.Router();
  api.use(authenticate(deps.tokens, deps.rateLimit, deps.clock), rateLimit(deps.rateLimit, deps.clock, tokenBudget));
  // Files and plans stream in as multipart (a plan also as Plan JSON past 64 KiB); every other body is JSON.
  fileUploadRoutes(deps)(api);
  planRoutes(deps)(api);
  planRevisionRoutes(deps)(api);
  api.use(...jsonBody());
  planTaskRoutes(deps)(api);
  api.use(recordAccess(deps.accessLog, deps.clock, principalOf, API_READS));
  for (const routes of [bulkRoutes, taskRoutes, eventRoutes, historyRoutes, auditRoutes, replayRoutes]) routes(deps)(api);
  for (const routes of [reportRoutes, circularRoutes, notificationRoutes, watchRoutes, inboxRoutes, unitRoutes, noticeChannelRoutes, cycleRoutes]) routes(deps)(api);
  for (const routes of [proofRoutes, accessLogRoutes, replayDiffRoutes, fileRoutes]) routes(deps)(api);
  router.use('/api', api);
};
