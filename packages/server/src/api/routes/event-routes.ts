import type { Json, SendOptions, SendResult } from '@duban/engine';
import type { RouteModule } from '../../app/app-deps.ts';
import { eventBody, idempotencyKeyHeader, ifMatchHeader, noQuery } from '../schemas.ts';
import { toAuditEntryView } from '../audit-entry-view.ts';
import { HttpProblem } from '../../http/http-problem.ts';
import { presentTask, taskEtag } from '../../tasks/present-task.ts';
import { actorOf, principalOf } from '../../auth/principal.ts';
import { requestFingerprint } from '../../http/request-fingerprint.ts';
import { SingleFlight } from '../../tasks/single-flight.ts';
import { validateInput } from '../../http/validate-input.ts';

/**
 * `POST /tasks/:id/events`: one event, body `{ type, ...payload }`. The edge checks the shape and
 * the caller; the engine checks visibility (404), role, payload and state, and commits (with the idempotency record)
 * in one transaction. `If-Match: "<version>"` refuses a stale write with 412; an `Idempotency-Key`
 * repeated with the same body gets the first answer again, with another body a 422.
 */
export const eventRoutes: RouteModule = ({ engine, clock }) => (router) => {
  const flights = new SingleFlight<SendResult>();

  router.post('/tasks/:id/events', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const actor = actorOf(principal);
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : validateInput(idempotencyKeyHeader, keyHeader, 'header.Idempotency-Key');
    const ifMatch = req.get('If-Match');
    const match = ifMatch === undefined ? undefined : validateInput(ifMatchHeader, ifMatch.trim(), 'header.If-Match');
    const { type, ...payload } = validateInput(eventBody, req.body, 'body');

    if (principal.role === 'reviewer') {
      throw new HttpProblem(403, 'forbidden', '无权执行此操作', 'reviewers have read-only access and may send no event');
    }
    const at = clock.now();
    // An unknown task and one the caller may not see are the same 404 (InstanceNotFound).
    const options: SendOptions = { onlyIfVisible: true, ...(match === undefined || match === '*' ? {} : { expectedVersion: Number(match.slice(1, -1)) }) };
    const send = (extra: SendOptions = {}) => engine.send(req.params.id, { type, payload }, actor, at, { ...options, ...extra });
    let result: SendResult;
    if (key === undefined) result = await send();
    else {
      // Keys are the caller's own: two tokens may use the same key for different requests.
      const idempotencyKey = `${principal.tokenId}:${key}`;
      const fingerprint = requestFingerprint(req.method, `${req.baseUrl}${req.path}`, req.body as Json);
      result = await flights.run(idempotencyKey, fingerprint, () => send({ idempotencyKey, fingerprint }));
    }

    // Computed as at the commit, so a replayed answer is the first answer, byte for byte.
    const committedAt = new Date(result.entry.at);
    res.setHeader('ETag', taskEtag(result.instance.version));
    res.json({ task: presentTask(engine, result.instance, actor, committedAt), entry: toAuditEntryView(result.entry) });
  });
};
