import type { Engine } from '@duban/engine';
import type { Plan, UnitRegistry } from '@duban/plan';
import { instancesFromPlan } from '@duban/reform-task';

/** Who imports plans, as the audit log records it. */
export const IMPORTER = Object.freeze({ role: 'admin', unit: null });

/** A task of the plan left out of the import, and why (Chinese, for a person). */
export interface SkippedTask {
  readonly number: number;
  readonly reason: string;
}

/**
 * Creates one reform-task per plan task. Idempotent: tasks already imported with the same content
 * are left alone. If any exists with other content, nothing is imported and the engine's
 * InstanceConflict is thrown. A task without a lead unit has no one to sign it, so it is left out
 * and listed in `skipped` (the plan's warnings already name it); the rest are imported. Unit names
 * resolve through `units` (the server's: the database's registry). Does IO.
 */
export async function importPlan(engine: Engine, plan: Plan, planId: string, at: Date, units: Pick<UnitRegistry, 'canonical' | 'membersOf'>): Promise<{ created: string[]; existing: string[]; skipped: SkippedTask[] }> {
  const skipped = plan.tasks.filter((task) => task.leadUnits.length === 0).map((task) => ({ number: task.number, reason: `第${task.number}项没有牵头单位，未导入` }));
  const importable = plan.tasks.filter((task) => task.leadUnits.length > 0);
  // Names as the registry has them now (an alias added since the plan was parsed), each once.
  const canonical = (names: readonly string[]) => [...new Set(names.map((name) => units.canonical(name)))];
  const planLike = {
    tasks: importable.map((task) => ({ ...task, leadUnits: canonical(task.leadUnits), responsibleUnits: canonical(task.responsibleUnits), part: task.part ?? '', measure: task.measure ?? '' })),
  };
  const requests = instancesFromPlan(planLike, units, { planId });
  const created = requests.length === 0 ? { created: [], existing: [] } : await engine.create(requests, IMPORTER, at);
  return { ...created, skipped };
}
