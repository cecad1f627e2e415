import type { Json } from '@duban/engine';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { expectedVersion, taskEtag } from '../../../http/etag.ts';
import { sendJson } from '../../../http/send-json.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { presentTask } from '../../../tasks/present-task.ts';
import { toAuditEntryView } from '../../audit-entry-view.ts';
import { commentBody, eventBody, idempotencyKeyHeader, noQuery } from '../../schemas.ts';

/**
 * `POST /tasks/:id/events`: one event, body `{ type, ...payload }`. The edge checks the shape; the
 * EventSender and the engine check the caller, visibility (404), role, payload and state, and commit
 * (with the idempotency record) in one transaction. `If-Match: "<version>"` refuses a stale write
 * with 412; an `Idempotency-Key` repeated with the same body gets the first answer again, with
 * another body a 422.
 */
export const eventRoutes: RouteModule = ({ engine, events }) => (router) => {
  router.post('/tasks/:id/events', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : validateInput(idempotencyKeyHeader, keyHeader, 'header.Idempotency-Key');
    const version = expectedVersion(req.get('If-Match'));
    const { type, ...payload } = validateInput(eventBody, req.body, 'body');
    const result = await events.send({
      taskId: req.params.id,
      type,
      payload,
      principal,
      expectedVersion: version,
      idempotency: key === undefined ? undefined : { key, method: req.method, path: `${req.baseUrl}${req.path}`, body: req.body as Json },
    });
    // Computed as at the commit, so a replayed answer is the first answer, byte for byte.
    const committedAt = new Date(result.entry.at);
    res.setHeader('ETag', taskEtag(result.instance.version));
    sendJson(res, { task: presentTask(engine, result.instance, actorOf(principal), committedAt), entry: toAuditEntryView(result.entry) });
  });

  // `POST /tasks/:id/comments` `{ text, ask?, attachments? }`: the COMMENT event (工作联系) by DESIGN's shape, 201.
  router.post('/tasks/:id/comments', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : validateInput(idempotencyKeyHeader, keyHeader, 'header.Idempotency-Key');
    const payload = validateInput(commentBody, req.body, 'body');
    const result = await events.send({
      taskId: req.params.id,
      type: 'COMMENT',
      payload,
      principal,
      idempotency: key === undefined ? undefined : { key, method: req.method, path: `${req.baseUrl}${req.path}`, body: req.body as Json },
    });
    res.setHeader('ETag', taskEtag(result.instance.version));
    res.status(201).json({ task: presentTask(engine, result.instance, actorOf(principal), new Date(result.entry.at)), entry: toAuditEntryView(result.entry) });
  });
};
