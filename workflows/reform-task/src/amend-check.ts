import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import type { ReformTaskPayloads } from './reform-task-events.ts';

type Issue = { path: string; message: string };
type Amendment = ReformTaskPayloads['AMEND'];

/**
 * AMEND (调整任务): the context fields an amendment replaces; `collectives` is kept to the units the
 * task names after it. A new deadline becomes both the limit
 * as written and the limit in force, with a fresh clock (warned and overdue cleared), as an approved
 * extension does; the timers follow from the context after the step. Pure.
 */
export function amendedFields(payload: Amendment, task: ReformTaskContext): Partial<ReformTaskContext> {
  const { text, deadline, leadUnits, responsibleUnits, collectives } = payload;
  const named = new Set([...(leadUnits ?? task.leadUnits), ...(responsibleUnits ?? task.responsibleUnits)]);
  // The collectives still named keep their members; those the amendment names bring theirs.
  const members = Object.fromEntries(Object.entries({ ...task.collectives, ...collectives }).filter(([unit]) => named.has(unit)));
  return {
    ...(text === undefined ? {} : { text }),
    ...(leadUnits === undefined ? {} : { leadUnits }),
    ...(responsibleUnits === undefined ? {} : { responsibleUnits }),
    ...(leadUnits === undefined && responsibleUnits === undefined ? {} : { collectives: members }),
    ...(deadline === undefined
      ? {}
      : {
          deadline: amendedDeadline(deadline),
          dueDate: deadline.date,
          deadlineAt: deadline.date === null ? null : endOfDayShanghai(deadline.date),
          warned: false,
          overdue: false,
          overdueSince: null,
        }),
  };
}

/**
 * AMEND: a new deadline may not lie before the day of the amendment (`at`, epoch ms): nobody can
 * be late for a limit set after it passed; and an amendment must change something. Pure.
 */
export function checkAmendment(payload: Amendment, task: ReformTaskContext, at: number): Issue[] {
  const issues: Issue[] = [];
  const date = payload.deadline?.date ?? null;
  if (date !== null && endOfDayShanghai(date) < at) issues.push({ path: 'deadline.date', message: '调整后的完成时限不得早于今天' });
  const changes =
    (payload.text !== undefined && payload.text !== task.text) ||
    (payload.leadUnits !== undefined && !sameList(payload.leadUnits, task.leadUnits)) ||
    (payload.responsibleUnits !== undefined && !sameList(payload.responsibleUnits, task.responsibleUnits)) ||
    (payload.deadline !== undefined && JSON.stringify(amendedDeadline(payload.deadline)) !== JSON.stringify({ text: task.deadline.text, date: task.deadline.date, ongoing: task.deadline.ongoing }));
  if (!changes) issues.push({ path: 'reason', message: '所填内容与任务现状相同，没有需要调整的内容' });
  return issues;
}

/** The deadline as the task keeps it: the text defaults to the date in Chinese (or 长期坚持 for an ongoing one). Pure. */
export function amendedDeadline(deadline: NonNullable<Amendment['deadline']>): { text: string; date: string | null; ongoing: boolean } {
  const ongoing = deadline.ongoing ?? false;
  const written = deadline.text?.trim();
  const text = written !== undefined && written !== '' ? written : ongoing ? '长期坚持' : deadline.date === null ? '' : chineseDate(deadline.date);
  return { text, date: deadline.date, ongoing };
}

function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日前`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
