import type { PlanFacts } from './current-plan.ts';
import type { ReportTask } from './report-task.ts';

/**
 * The facts of one plan among several: its tasks and the supervision facts of those tasks; all of
 * them when `planId` is undefined (a view across plans). The reports read this, so a second plan
 * never merges into the first one's. Pure.
 */
export function factsOfPlan<F extends PlanFacts>(facts: F, planId: string | undefined): F {
  if (planId === undefined) return facts;
  const tasks = facts.tasks.filter((task) => task.task.planId === planId);
  const ids = new Set(tasks.map((task) => task.id));
  return { ...facts, tasks, events: facts.events.filter((event) => ids.has(event.taskId)) };
}

/** The ledger's pieces of tasks narrowed to one plan (all when undefined), as they come. */
export async function* piecesOfPlan(pieces: AsyncIterable<ReportTask[]>, planId: string | undefined): AsyncGenerator<ReportTask[]> {
  for await (const piece of pieces) {
    const kept = planId === undefined ? piece : piece.filter((task) => task.task.planId === planId);
    if (kept.length > 0) yield kept;
  }
}
