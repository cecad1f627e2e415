import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { inboxKinds } from '../../../tasks/inbox.ts';
import type { InboxItem } from '../../../tasks/inbox.ts';
import { inboxQuery } from '../../schemas.ts';

const DEFAULT_LIMIT = 100;

/** An item as the API shows it: the task in brief, when it began to wait, and what waits (the request, the questions). Pure. */
function itemView({ kind, task: { id, task, snapshot }, since }: InboxItem) {
  const pending = task.pendingExtension;
  return {
    kind,
    taskId: id,
    number: task.number,
    text: task.text,
    leadUnits: [...task.leadUnits],
    state: snapshot.value,
    dueDate: task.dueDate,
    since: since === null ? null : new Date(since).toISOString(),
    ...(kind === 'extensions' && pending !== null ? { extension: { until: pending.until, reason: pending.reason, requestedBy: pending.requestedBy } } : {}),
    ...(kind === 'openQuestions'
      ? { questions: (task.openQuestions ?? []).map((q) => ({ text: q.text, waitingFor: [...q.waitingFor], askedAt: new Date(q.askedAt).toISOString() })) }
      : {}),
  };
}

/** `GET /inbox`: the office's 待办 — counts of every kind, and the items of each (or one) kind, the longest waiting first. */
export const inboxRoutes: RouteModule = ({ inbox, clock }) => (router) => {
  router.get('/inbox', requireRole(readers.inbox, 'read the office’s inbox'), async (req, res) => {
    const query = validateInput(inboxQuery, req.query, 'query');
    const { counts, byKind } = await inbox.read(clock.now(), actorOf(principalOf(res)), query.unsignedDays);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const kinds = query.kind === undefined ? inboxKinds : [query.kind];
    res.json({ counts, items: kinds.flatMap((kind) => byKind[kind].slice(0, limit).map(itemView)) });
  });
};
