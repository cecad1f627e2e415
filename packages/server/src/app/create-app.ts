import express from 'express';
import type { Express } from 'express';
import helmet from 'helmet';
import { apiRoutes } from '../api/api-routes.ts';
import { healthRoutes } from '../api/routes/health-routes.ts';
import { openApiRoutes } from '../api/routes/openapi-routes.ts';
import { problemDetails } from '../http/problem-details.ts';
import { problem } from '../http/problems.ts';
import { requestId } from '../http/request-id.ts';
import { requestLog } from '../http/request-log.ts';
import { webRoutes } from '../web/web-routes.ts';
import type { AppDeps } from './app-deps.ts';

/**
 * The HTTP app: request ids and logs, security headers, public routes (health, OpenAPI), the API
 * under /api behind a bearer token, the web pages with their own session sign-in, and one error
 * middleware that answers every refusal as RFC 9457 problem details. Does no IO itself; the deps do.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags are the task versions we set, not hashes of bodies.
  app.set('etag', false);
  // Behind a TLS-terminating proxy: req.secure and req.ip as the proxy saw them, from the proxies named only.
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  app.use(requestId(), requestLog(deps.logger), helmet());

  const router = express.Router();
  for (const routes of [healthRoutes, openApiRoutes]) routes(deps)(router);
  // Another server may have changed the units: at most once a second, a one-row read says so.
  router.use(async (_req, _res, next) => {
    await deps.units.refresh();
    next();
  });
  for (const routes of [apiRoutes, webRoutes]) routes(deps)(router);
  app.use(router);

  app.use((req) => {
    throw problem('notFound', `no route for ${req.method} ${req.path}`);
  });
  app.use(problemDetails(deps.logger));
  return app;
}
