import express from 'express';
import type { Express } from 'express';
import helmet from 'helmet';
import type { AppDeps } from './app-deps.ts';
import { CurrentPlan } from '../reports/current-plan.ts';
import { AccessLog } from '../audit/access/access-log.ts';
import { recordAccess } from '../audit/access/record-access.ts';
import { authenticate } from '../auth/authenticate.ts';
import { HttpProblem } from '../http/http-problem.ts';
import { jsonBody } from '../http/json-body.ts';
import { problemDetails } from '../http/problem-details.ts';
import { rateLimit } from '../rate-limit/rate-limit.ts';
import { requestId } from '../http/request-id.ts';
import { requestLog } from '../http/request-log.ts';
import { accessLogRoutes } from '../api/routes/access-log-routes.ts';
import { auditRoutes } from '../api/routes/audit-routes.ts';
import { eventRoutes } from '../api/routes/event-routes.ts';
import { healthRoutes } from '../api/routes/health-routes.ts';
import { historyRoutes } from '../api/routes/history-routes.ts';
import { openApiRoutes } from '../api/routes/openapi-routes.ts';
import { proofRoutes } from '../api/routes/proof-routes.ts';
import { replayDiffRoutes } from '../api/routes/replay-diff-routes.ts';
import { notificationRoutes } from '../api/routes/notification-routes.ts';
import { replayRoutes } from '../api/routes/replay-routes.ts';
import { reportRoutes } from '../api/routes/report-routes.ts';
import { taskRoutes } from '../api/routes/task-routes.ts';
import { webRoutes } from '../web/web-routes.ts';

/**
 * The HTTP app: request ids and logs, security headers, public routes (health, OpenAPI), then the
 * API behind a bearer token and a per-token rate limit, and one error middleware that answers every
 * refusal as RFC 9457 problem details. Does no IO itself; the deps do.
 */
export function createApp(deps: AppDeps): Express {
  const accessLog = deps.accessLog ?? new AccessLog(deps.engine.store.kysely, deps.logger);
  const currentPlan = deps.currentPlan ?? new CurrentPlan(deps.engine);
  deps = { ...deps, accessLog, currentPlan };
  const app = express();
  app.disable('x-powered-by');
  // ETags are the task versions we set, not hashes of bodies.
  app.set('etag', false);
  // Behind a TLS-terminating proxy: req.secure and req.ip as the proxy saw them, from the proxies named only.
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  app.use(requestId(), requestLog(deps.logger), helmet());

  const open = express.Router();
  for (const routes of [healthRoutes, openApiRoutes]) routes(deps)(open);
  app.use(open);

  const api = express.Router();
  api.use(authenticate(deps.tokens), rateLimit(deps.rateLimit, deps.clock), ...jsonBody());
  api.use(recordAccess(accessLog, deps.clock));
  for (const routes of [taskRoutes, eventRoutes, historyRoutes, auditRoutes, replayRoutes]) routes(deps)(api);
  for (const routes of [reportRoutes, notificationRoutes]) routes(deps)(api);
  for (const routes of [proofRoutes, accessLogRoutes, replayDiffRoutes]) routes(deps)(api);
  app.use('/api', api);

  // The web pages (/, /login, /tasks/…): their own session sign-in, outside the bearer-token API.
  const web = express.Router();
  webRoutes(deps)(web);
  app.use(web);

  app.use((req) => {
    throw new HttpProblem(404, 'not-found', '资源不存在', `no route for ${req.method} ${req.path}`);
  });
  app.use(problemDetails(deps.logger));
  return app;
}
