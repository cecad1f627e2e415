import { createHash } from 'node:crypto';
import type { Json } from '@duban/engine';
import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, callerKey, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { problem } from '../../../http/problems.ts';
import { requestFingerprint } from '../../../http/request-fingerprint.ts';
import { validateInput } from '../../../http/validate-input.ts';
import type { AmendmentKey, AmendmentResult } from '../../../plans/plan-amendments.ts';
import { revisionChoices } from '../../../plans/plan-choices.ts';
import { receivePlanSource } from '../../../plans/receive-plan-source.ts';
import type { PlanSource } from '../../../plans/plan-importer.ts';
import { idempotencyKeyHeader, newTaskBody, noQuery, planActiveBody, planIdParam } from '../../schemas.ts';

const needsFile = () =>
  problem('invalidRequest', 'no revised plan: send a multipart part named "file" or a Plan JSON body', { extensions: { errors: [{ path: 'file', message: '请选择修订后的计划文件' }] } });

/** The caller's Idempotency-Key bound to its token (or account) and to this request's fingerprint. */
function amendmentKey(req: Request, res: Response, body: Json): AmendmentKey | undefined {
  const header = req.get('Idempotency-Key');
  if (header === undefined) return undefined;
  const key = validateInput(idempotencyKeyHeader, header, 'header.Idempotency-Key');
  const principal = principalOf(res);
  return { key: `plan:${callerKey(principal)}:${key}`, fingerprint: requestFingerprint(req.method, `${req.baseUrl}${req.path}`, body) };
}

function answer(result: AmendmentResult) {
  return { created: result.created, amended: result.amended, withdrawn: result.withdrawn, entries: result.entries };
}

/**
 * A plan's revisions (修订), multipart or Plan JSON as the plan's import: `POST /plans/:id/revisions/preview`
 * answers the difference between a revised document and the plan as it stands (added, changed field by
 * field, removed tasks) with the `basis` it was read against; `POST /plans/:id/revisions` applies the
 * chosen changes (`basis`, `apply`, `reason`) as one transaction: new tasks, AMEND and CANCEL (撤销),
 * or nothing (409 when the plan moved since the preview). Office and admin. Mounted before the JSON
 * body parser.
 */
export const planRevisionRoutes: RouteModule = ({ planAmendments, planImports, clock }) => (router) => {
  const receive = async (req: Request): Promise<{ source: PlanSource; fields: Readonly<Record<string, unknown>> }> => {
    const received = await receivePlanSource(req, planImports.maxBytes);
    if (received.source === undefined) throw needsFile();
    return { source: received.source, fields: received.fields };
  };

  router.post('/plans/:id/revisions/preview', requireRole(readers.planImport, 'revise plans'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const planId = validateInput(planIdParam, req.params['id'], 'path.id');
    const { source } = await receive(req);
    const preview = await planAmendments.preview(planId, source, clock.now());
    res.json(preview);
  });

  router.post('/plans/:id/revisions', requireRole(readers.planImport, 'revise plans'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const planId = validateInput(planIdParam, req.params['id'], 'path.id');
    const { source, fields } = await receive(req);
    const choices = revisionChoices(fields);
    const key = amendmentKey(req, res, { file: createHash('sha256').update(source.bytes).digest('hex'), ...choices, apply: [...choices.apply] });
    const result = await planAmendments.apply(planId, source, choices, actorOf(principalOf(res)), clock.now(), key);
    res.json(answer(result));
  });
};

/**
 * `POST /plans/:id/tasks` adds one task to a plan (领导交办, 会议议定事项) with its reason: 201, numbered
 * after the plan's last task unless `number` is given (409 when taken). `PATCH /plans/:id` `{ active }`
 * sets a plan inactive or active again (the plan selector's default is the newest active plan).
 * Office and admin; JSON bodies.
 */
export const planTaskRoutes: RouteModule = ({ planAmendments, planRecords, clock }) => (router) => {
  router.post('/plans/:id/tasks', requireRole(readers.planImport, 'add tasks to plans'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const planId = validateInput(planIdParam, req.params['id'], 'path.id');
    const task = validateInput(newTaskBody, req.body, 'body');
    const result = await planAmendments.addTask(planId, task, actorOf(principalOf(res)), clock.now(), amendmentKey(req, res, req.body as Json));
    const [id] = result.created;
    if (id !== undefined) res.location(`/api/tasks/${encodeURIComponent(id)}`);
    res.status(201).json(answer(result));
  });

  router.patch('/plans/:id', requireRole(readers.planImport, 'set plans active'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const planId = validateInput(planIdParam, req.params['id'], 'path.id');
    const { active } = validateInput(planActiveBody, req.body, 'body');
    const record = await planRecords.setActive(planId, active);
    if (record === undefined) throw problem('planNotFound', `no plan ${planId}`, { extensions: { errors: [{ path: 'path.id', message: `计划“${planId}”不存在` }] } });
    res.json({ id: record.id, title: record.title, active: record.active });
  });
};
