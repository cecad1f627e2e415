import type { RouteModule } from '../../../app/app-deps.ts';
import { noQuery } from '../../schemas.ts';
import { toAuditEntryView } from '../../audit-entry-view.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { TASK_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';

/** `GET /tasks/:id/history`: every audit entry of one visible task, oldest first. */
export const historyRoutes: RouteModule = ({ engine }) => (router) => {
  router.get('/tasks/:id/history', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const instance = await findVisibleTask(engine, req.params.id, actorOf(principalOf(res)));
    if (instance === undefined) throw TASK_NOT_FOUND;
    const entries = await engine.history(instance.id);
    res.json({ items: entries.map(toAuditEntryView) });
  });
};
