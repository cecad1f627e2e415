import type { RouteModule } from '../../app/app-deps.ts';
import { openApiDocument } from '../openapi-document.ts';

/** `GET /api/openapi.json`: public, generated once from the route and event schemas. */
export const openApiRoutes: RouteModule = ({ engine }) => (router) => {
  const document = JSON.stringify(openApiDocument(engine.registry.latest('reform-task')));
  router.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
};
