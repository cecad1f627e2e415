import type { Json } from '@duban/engine';
import type { RouteModule } from '../../../app/app-deps.ts';
import { principalOf } from '../../../auth/principal.ts';
import { problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { toAuditEntryView } from '../../audit-entry-view.ts';
import { bulkEventBody, idempotencyKeyHeader, noQuery } from '../../schemas.ts';

/**
 * `POST /tasks/bulk-events` `{ ids, type, ...payload }`: one event with one payload to each task
 * through the one EventSender (`tasks/send-bulk.ts`) -> 200 `{ results: [{ id, status, entry?,
 * problem? }] }` in the order of `ids`. Reviewers are refused as a whole (403): they send nothing.
 * An `Idempotency-Key` makes the request one whole: the same key and body answer the first answer.
 */
export const bulkRoutes: RouteModule = ({ bulk }) => (router) => {
  router.post('/tasks/bulk-events', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    if (principal.role === 'reviewer') throw problem('forbidden', 'reviewers have read-only access and may send no event');
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : validateInput(idempotencyKeyHeader, keyHeader, 'header.Idempotency-Key');
    const { ids, type, ...payload } = validateInput(bulkEventBody, req.body, 'body');
    const results = await bulk.send({
      ids,
      type,
      payload,
      principal,
      idempotency: key === undefined ? undefined : { key, method: req.method, path: `${req.baseUrl}${req.path}`, body: req.body as Json },
    });
    res.json({ results: results.map(({ entry, ...result }) => (entry === undefined ? result : { ...result, entry: toAuditEntryView(entry) })) });
  });
};
