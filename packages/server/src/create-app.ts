import express from 'express';
import type { Express } from 'express';
import helmet from 'helmet';
import type { AppDeps } from './app-deps.ts';
import { CurrentPlan } from './reports/current-plan.ts';
import { AccessLog } from './audit/access-log.ts';
import { recordAccess } from './audit/record-access.ts';
import { authenticate } from './authenticate.ts';
import { HttpProblem } from './http-problem.ts';
import { jsonBody } from './json-body.ts';
import { problemDetails } from './problem-details.ts';
import { rateLimit } from './rate-limit.ts';
import { requestId } from './request-id.ts';
import { requestLog } from './request-log.ts';
import { accessLogRoutes } from './routes/access-log-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { historyRoutes } from './routes/history-routes.ts';
import { openApiRoutes } from './routes/openapi-routes.ts';
import { proofRoutes } from './routes/proof-routes.ts';
import { replayDiffRoutes } from './routes/replay-diff-routes.ts';
import { notificationRoutes } from './routes/notification-routes.ts';
import { replayRoutes } from './routes/replay-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { taskRoutes } from './routes/task-routes.ts';
import { webRoutes } from './web/web-routes.ts';

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
