import type { Actor, Engine } from '@duban/engine';
import { karamayUnits } from '@duban/plan';
import type { Plan } from '@duban/plan';
import { instancesFromPlan } from '@duban/reform-task';
import type { UnitRegistryLike } from '@duban/reform-task';

/** Who imports plans at start (`serve --plan`), as the audit log records it. */
export const IMPORTER = Object.freeze({ role: 'admin', unit: null });

/** A task of the plan left out of the import, and why (Chinese, for a person). */
export interface SkippedTask {
  readonly number: number;
  readonly reason: string;
}

/** A plan's settings for its tasks, and who imports it. */
export interface ImportPlanOptions {
  readonly warningLeadDays?: number;
  readonly escalateAfterDays?: number;
  /** The import's instant, for a late import: tasks past their deadline count from it (see instancesFromPlan). */
  readonly graceFrom?: number;
  /** Resolves collectives' members; the Karamay registry by default. */
  readonly units?: UnitRegistryLike;
  /** IMPORTER by default. */
  readonly actor?: Actor;
}

/**
 * Creates one reform-task per plan task, in one engine transaction (one audit entry each). Idempotent:
 * tasks already imported with the same content are left alone. If any exists with other content,
 * nothing is imported and the engine's InstanceConflict is thrown. A task without a lead unit has no
 * one to sign it, so it is left out and listed in `skipped` (the plan's warnings already name it); the
 * rest are imported. Records no plan: PlanImporter does. Does IO.
 */
export async function importPlan(
  engine: Engine,
  plan: Plan,
  planId: string,
  at: Date,
  options: ImportPlanOptions = {},
): Promise<{ created: string[]; existing: string[]; skipped: SkippedTask[] }> {
  const skipped = plan.tasks.filter((task) => task.leadUnits.length === 0).map((task) => ({ number: task.number, reason: `第${task.number}项没有牵头单位，未导入` }));
  const importable = plan.tasks.filter((task) => task.leadUnits.length > 0);
  const planLike = { tasks: importable.map((task) => ({ ...task, part: task.part ?? '', measure: task.measure ?? '' })) };
  const requests = instancesFromPlan(planLike, options.units ?? karamayUnits, {
    planId,
    ...(options.warningLeadDays === undefined ? {} : { warningLeadDays: options.warningLeadDays }),
    ...(options.escalateAfterDays === undefined ? {} : { escalateAfterDays: options.escalateAfterDays }),
    ...(options.graceFrom === undefined ? {} : { graceFrom: options.graceFrom }),
  });
  const created = requests.length === 0 ? { created: [], existing: [] } : await engine.create(requests, options.actor ?? IMPORTER, at);
  return { ...created, skipped };
}
