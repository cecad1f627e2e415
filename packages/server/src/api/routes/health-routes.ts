import type { RouteModule } from '../../app/app-deps.ts';

/** `GET /healthz`: the process is up and answering. */
export const healthRoutes: RouteModule = () => (router) => {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
};
