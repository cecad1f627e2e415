import type { ReformTaskContext } from './reform-task-context.ts';
import { endOfDayShanghai } from './calendar-date.ts';

type Issue = { path: string; message: string };

/**
 * REQUEST_EXTENSION: the requested date must fall after the limit in force and, for a task already
 * overdue, after the day of the request (`at`, epoch ms). Pure.
 */
export function checkExtensionRequest(payload: { until: string }, task: ReformTaskContext, at: number): Issue[] {
  const issues = laterThanDeadline('until', payload.until, task);
  if (issues.length === 0 && endOfDayShanghai(payload.until) <= at) return [{ path: 'until', message: '延期日期须晚于今天' }];
  return issues;
}

/** DECIDE_EXTENSION: a date the office sets when approving must fall after the limit in force. Pure. */
export function checkExtensionDecision(payload: { approve: boolean; until?: string | undefined }, task: ReformTaskContext): Issue[] {
  return payload.approve && payload.until !== undefined ? laterThanDeadline('until', payload.until, task) : [];
}

function laterThanDeadline(path: string, date: string, task: ReformTaskContext): Issue[] {
  // With no limit in force the machine refuses the request itself (409), not its payload.
  if (task.deadlineAt === null || endOfDayShanghai(date) > task.deadlineAt) return [];
  return [{ path, message: `延期日期须晚于当前完成时限 ${task.dueDate ?? ''}`.trim() }];
}
