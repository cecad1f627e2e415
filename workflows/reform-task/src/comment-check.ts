import type { ReformTaskContext } from './reform-task-context.ts';
import { partyUnits } from './task-parties.ts';

type Issue = { path: string; message: string };

/**
 * COMMENT: a question may only be put to the task's own units (its lead and responsible units and
 * the members of a collective among them): a unit named in `ask` is notified and must be able to
 * see the task to answer. Pure.
 */
export function checkCommentAsk(payload: { ask?: string[] | undefined }, task: Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'>): Issue[] {
  if (payload.ask === undefined) return [];
  const parties = new Set(partyUnits(task));
  return payload.ask.flatMap((unit, index) => (parties.has(unit) ? [] : [{ path: `ask.${index}`, message: `“${unit}”不是本任务的牵头或责任单位，不能向其提问` }]));
}
