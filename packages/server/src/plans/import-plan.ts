import type { Engine } from '@duban/engine';
import { karamayUnits } from '@duban/plan';
import type { Plan } from '@duban/plan';
import { instancesFromPlan } from '@duban/reform-task';

/** Who imports plans, as the audit log records it. */
export const IMPORTER = Object.freeze({ role: 'admin', unit: null });

/**
 * Creates one reform-task per plan task. Idempotent: tasks already imported with the same content
 * are left alone. If any exists with other content, nothing is imported and the engine's
 * InstanceConflict is thrown. Does IO.
 */
export async function importPlan(engine: Engine, plan: Plan, planId: string, at: Date): Promise<{ created: string[]; existing: string[] }> {
  const planLike = { tasks: plan.tasks.map((task) => ({ ...task, part: task.part ?? '', measure: task.measure ?? '' })) };
  const requests = instancesFromPlan(planLike, karamayUnits, { planId });
  return engine.create(requests, IMPORTER, at);
}
