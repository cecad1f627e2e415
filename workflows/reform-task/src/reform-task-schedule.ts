import { DAY_MS } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';

/**
 * When each system event becomes due for a task in a timed state (assigned, in_progress), or null
 * when it will not be due. The machine's guards and the timer policy both read these, so a timer
 * fires exactly when the machine accepts it. Pure.
 */
export function warningDueAt(task: ReformTaskContext): number | null {
  // With no lead time the warning window is empty: DEADLINE_PASSED is the first signal.
  if (task.deadlineAt === null || task.warned || task.overdue || task.warningLeadDays === 0) return null;
  return task.deadlineAt - task.warningLeadDays * DAY_MS;
}

/** When the task becomes overdue, or null (no deadline, or already overdue). Pure. */
export function deadlineDueAt(task: ReformTaskContext): number | null {
  if (task.deadlineAt === null || task.overdue) return null;
  return task.deadlineAt;
}

/**
 * When the task's lateness counts from: its deadline in force, or the import for a task imported
 * after that deadline had passed (`graceFrom`); null without a deadline. Pure.
 */
export function lateFrom(task: Pick<ReformTaskContext, 'deadlineAt' | 'graceFrom'>): number | null {
  if (task.deadlineAt === null) return null;
  return task.graceFrom !== undefined && task.graceFrom > task.deadlineAt ? task.graceFrom : task.deadlineAt;
}

/** An automatic escalation to a formal interview: when, and the reason the system gives. */
export interface DueEscalation {
  readonly dueAt: number;
  readonly reason: string;
}

/**
 * The earliest automatic escalation: `escalateAfterDays` after the deadline (after the import, for a
 * late import: `lateFrom`) while unreported, or at
 * the `maxRejections`-th rejection since the last interview. Null when neither applies. Pure.
 */
export function escalationDue(task: ReformTaskContext): DueEscalation | null {
  const candidates: DueEscalation[] = [];
  const from = lateFrom(task);
  if (from !== null) {
    candidates.push({
      dueAt: from + task.escalateAfterDays * DAY_MS,
      reason: `逾期${task.escalateAfterDays}日未报送办结，自动启动约谈`,
    });
  }
  if (task.rejectionsSinceInterview >= task.maxRejections && task.lastRejection !== null) {
    candidates.push({
      dueAt: task.lastRejection.at,
      reason: `办结报送被退回${task.rejectionsSinceInterview}次，自动启动约谈`,
    });
  }
  return candidates.reduce<DueEscalation | null>((first, c) => (first === null || c.dueAt < first.dueAt ? c : first), null);
}
