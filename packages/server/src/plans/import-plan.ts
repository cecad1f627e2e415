import type { Actor, Engine } from '@duban/engine';
import type { Plan, UnitRegistry } from '@duban/plan';
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
  /** Resolves names and aliases, and collectives' members: the server's registry. */
  readonly units: Pick<UnitRegistry, 'canonical'> & UnitRegistryLike;
  /** IMPORTER by default. */
  readonly actor?: Actor;
}

/**
 * Creates one reform-task per plan task, in one engine transaction (one audit entry each). Idempotent:
 * tasks already imported with the same content are left alone. If any exists with other content,
 * nothing is imported and the engine's InstanceConflict is thrown. A task without a lead unit has no
 * one to sign it, so it is left out and listed in `skipped` (the plan's warnings already name it); the
 * rest are imported. Unit names resolve through `options.units` (the server's: the database's
 * registry). Records no plan: PlanImporter does. Does IO.
 */
export async function importPlan(
  engine: Engine,
  plan: Plan,
  planId: string,
  at: Date,
  options: ImportPlanOptions,
): Promise<{ created: string[]; existing: string[]; skipped: SkippedTask[] }> {
  const skipped = plan.tasks.filter((task) => task.leadUnits.length === 0).map((task) => ({ number: task.number, reason: `第${task.number}项没有牵头单位，未导入` }));
  const importable = plan.tasks.filter((task) => task.leadUnits.length > 0);
  // Names as the registry has them now (an alias added since the plan was parsed), each once.
  const canonical = (names: readonly string[]) => [...new Set(names.map((name) => options.units.canonical(name)))];
  const planLike = {
    tasks: importable.map((task) => ({ ...task, leadUnits: canonical(task.leadUnits), responsibleUnits: canonical(task.responsibleUnits), part: task.part ?? '', measure: task.measure ?? '' })),
  };
  const requests = instancesFromPlan(planLike, options.units, {
    planId,
    ...(options.warningLeadDays === undefined ? {} : { warningLeadDays: options.warningLeadDays }),
    ...(options.escalateAfterDays === undefined ? {} : { escalateAfterDays: options.escalateAfterDays }),
    ...(options.graceFrom === undefined ? {} : { graceFrom: options.graceFrom }),
  });
  const created = requests.length === 0 ? { created: [], existing: [] } : await engine.create(requests, options.actor ?? IMPORTER, at);
  return { ...created, skipped };
}
