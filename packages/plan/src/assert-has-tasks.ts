import { NO_TASKS_MESSAGE } from './parse-plan.ts';
import { PlanInputError } from './plan-input-error.ts';
import type { Plan } from './plan-schema.ts';

/**
 * Throws a `PlanInputError` (code `no-tasks`) when the plan has no task, so a CLI can stop with
 * a clear message instead of importing an empty plan.
 */
export function assertHasTasks(plan: Plan, source?: string): void {
  if (plan.tasks.length > 0) return;
  const where = source ? `${source}：` : '';
  throw new PlanInputError(
    'no-tasks',
    `${where}${NO_TASKS_MESSAGE} / no task found: expected numbered items ("1." or "（一）") followed by lead units, responsible units and a deadline`,
  );
}
