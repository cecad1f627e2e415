import type { Actor } from '@duban/engine';
import type { AppDeps } from '../app/app-deps.ts';
import { endOfDayShanghai, light, partyUnits, visibleTo } from '@duban/reform-task';
import type { Light, ReformTaskState } from '@duban/reform-task';
import { HttpProblem } from '../http/http-problem.ts';
import type { TaskFacts } from '../reports/index.ts';
import { shanghaiDay } from '../web/view/format.ts';

import { planTasks } from '../reports/index.ts';

export { allInstances, planTasks } from '../reports/index.ts';

/** The plan's tasks now, in plan order: the report read model's, when it answers for `now`, else as stored. Does IO. */
export async function tasksNow({ engine, currentPlan }: AppDeps, now: Date): Promise<readonly TaskFacts[]> {
  return (await currentPlan?.at(now.getTime()))?.tasks ?? planTasks(engine);
}

/** Narrowing of a task list: each given criterion must hold. */
export interface TaskFilter {
  readonly state?: ReformTaskState | undefined;
  readonly light?: Light | undefined;
  /** A party to the task: lead, responsible, or member of a collective named on it. */
  readonly unit?: string | undefined;
  readonly part?: string | undefined;
}

/** The tasks `actor` may see that match `filter`, in plan order. Pure. */
export function filterTasks<T extends TaskFacts>(tasks: readonly T[], filter: TaskFilter, actor: Actor): T[] {
  return tasks.filter(
    ({ snapshot, task }) =>
      visibleTo(actor, snapshot) &&
      (filter.state === undefined || snapshot.value === filter.state) &&
      (filter.light === undefined || light(snapshot) === filter.light) &&
      (filter.unit === undefined || partyUnits(task).includes(filter.unit)) &&
      (filter.part === undefined || task.part === filter.part),
  );
}

/**
 * The instant a page "as of YYYY-MM-DD" shows: the end of that day in Asia/Shanghai, or now when the
 * day is today. A day after today is refused with a 422 naming `field`.
 */
export function asOfInstant(date: string, now: Date, field = 'asOf'): Date {
  const today = shanghaiDay(now.getTime());
  if (date > today) {
    throw new HttpProblem(422, 'invalid-request', '日期不能晚于今天', `${field} ${date} is after today (${today})`, {
      errors: [{ path: `query.${field}`, message: `日期不能晚于今天（${today}）` }],
    });
  }
  return date === today ? now : new Date(endOfDayShanghai(date) - 1);
}

/**
 * The instant "as of YYYY-MM-DD HH:MM[:SS]" (Asia/Shanghai): the end of that minute or second. One
 * after now is refused with a 422 naming `time`.
 */
export function asOfMoment(date: string, time: string, now: Date): Date {
  const withSeconds = time.length === 8;
  const at = Date.parse(`${date}T${withSeconds ? time : `${time}:00`}+08:00`) + (withSeconds ? 999 : 59_999);
  if (Number.isNaN(at)) {
    throw new HttpProblem(422, 'invalid-request', '时刻不符合要求', `time ${time} is not a time of day`, { errors: [{ path: 'query.time', message: '时刻须为 HH:MM 或 HH:MM:SS' }] });
  }
  if (at - (withSeconds ? 999 : 59_999) > now.getTime()) {
    throw new HttpProblem(422, 'invalid-request', '时刻不能晚于现在', `${date}T${time}+08:00 is after now (${now.toISOString()})`, {
      errors: [{ path: 'query.time', message: '时刻不能晚于现在' }],
    });
  }
  return new Date(Math.min(at, now.getTime()));
}
