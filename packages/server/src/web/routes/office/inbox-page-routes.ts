import { verificationCheckLabels } from '@duban/reform-task';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import type { FieldIssue } from '../../../http/http-problem.ts';
import { toProblem } from '../../../http/problem-details.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { DEFAULT_UNSIGNED_DAYS } from '../../../tasks/inbox.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { formOf } from '../../forms/form-body.ts';
import { formEventFieldsOf, sendFormEvent } from '../../forms/form-event.ts';
import { chineseMessage } from '../../forms/field-errors.ts';
import { payloadFromForm } from '../../forms/form-payload.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import type { Viewer } from '../../session/web-viewer.ts';
import { eventLabel } from '../../view/labels.ts';
import type { Notice } from '../../view/layout.ts';
import { inboxEventTypes, inboxPage } from '../../workbench/inbox-page.ts';
import type { InboxEventType } from '../../workbench/inbox-page.ts';

const inboxQuery = z.strictObject({
  done: z.enum(inboxEventTypes, { error: '未知的办理事项' }).optional(),
  task: z.string().regex(/^\d{1,4}$/, '序号须为数字').optional(),
  unsignedDays: z.string().regex(/^\d{1,3}$/, '天数须为 0 至 365 的整数').transform(Number).pipe(z.number().max(365, '天数须为 0 至 365 的整数')).optional(),
});

const fieldNames: Readonly<Record<string, string>> = { opinion: '核验意见', checks: '四个是否', failed: '未达到的判断', reason: '退回理由', approve: '审批意见', until: '延至日期', note: '说明' };

function fieldName(_type: InboxEventType, path: string): string {
  const [head = '', check] = path.split('.');
  // checks.policyUnderstood names the judgement itself: 政策理解是否到位.
  if (head === 'checks' && check !== undefined && Object.hasOwn(verificationCheckLabels, check)) return verificationCheckLabels[check as keyof typeof verificationCheckLabels];
  return fieldNames[path] ?? fieldNames[head] ?? path;
}

/**
 * `GET /inbox` (the office's 待办) and `POST /inbox/tasks/:id/events/:type` (VERIFY, REJECT,
 * DECIDE_EXTENSION in place): the form goes through the one EventSender as the task page's forms do
 * (the form's version as If-Match, its key for idempotency), then 303 back to the inbox with a
 * confirmation; a refusal shows the inbox again with the reason in Chinese.
 */
export const inboxPageRoutes: RouteModule = ({ inbox, events, engine, clock }) => (router) => {
  const render = async (viewer: Viewer, notices: Notice[], unsignedDays = DEFAULT_UNSIGNED_DAYS) =>
    inboxPage({ viewer, inbox: await inbox.read(clock.now(), actorOf(viewer.principal), unsignedDays), key: randomBytes(12).toString('base64url'), notices, unsignedDays }).text;

  router.get('/inbox', requireViewer(readers.inbox), async (req, res) => {
    const query = validateInput(inboxQuery, req.query, 'query');
    const notices: Notice[] = query.done === undefined ? [] : [{ kind: 'success', text: `已${eventLabel(query.done)}${query.task === undefined ? '' : `第 ${query.task} 项任务`}，办理记录已更新。` }];
    res.type('html').send(await render(signedIn(res), notices, query.unsignedDays));
  });

  router.post('/inbox/tasks/:id/events/:type', requireViewer(readers.inbox), async (req, res) => {
    const viewer = signedIn(res);
    const type = String(req.params['type']);
    const instance = await findVisibleTask(engine, String(req.params['id']), actorOf(viewer.principal));
    if (instance === undefined || !(inboxEventTypes as readonly string[]).includes(type)) throw PAGE_NOT_FOUND;
    const form = formOf(req.body);
    const fields = formEventFieldsOf(form);
    const { payload } = payloadFromForm(type as InboxEventType, form);
    const number = (instance.snapshot.context as { number: number }).number;
    try {
      await sendFormEvent(events, { taskId: instance.id, type, payload, principal: viewer.principal, fields, path: req.path });
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) throw error;
      const issues = (problem.extensions['errors'] as FieldIssue[] | undefined) ?? [];
      const notice: Notice = {
        kind: 'error',
        text: `第 ${number} 项任务的“${eventLabel(type)}”未提交：${problem.title}。${problem.status === 412 ? '任务已有新的办理，页面已更新，请核对后重新提交。' : ''}`,
        details: issues.map((issue) => `${fieldName(type as InboxEventType, issue.path)}：${chineseMessage(issue.message)}`),
      };
      res.status(problem.status).type('html').send(await render(viewer, [notice]));
      return;
    }
    res.redirect(303, `/inbox?done=${type}&task=${number}`);
  });
};
