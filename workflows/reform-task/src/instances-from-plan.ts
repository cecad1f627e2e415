import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskInput } from './reform-task-input.ts';

/** The parts of a Plan JSON task (DESIGN "Plan JSON") that become an instance. */
export interface PlanTaskLike {
  readonly number: number;
  /** Null where the document has no such heading level; the instance then holds an empty string. */
  readonly part: string | null;
  readonly measure: string | null;
  readonly text: string;
  readonly leadUnits: readonly string[];
  readonly responsibleUnits: readonly string[];
  readonly deadline: { readonly text: string; readonly date: string | null; readonly ongoing: boolean };
}

/** The parts of a Plan JSON read here. */
export interface PlanLike {
  readonly tasks: readonly PlanTaskLike[];
}

/** The unit registry as read here: the members of a collective unit, none for an ordinary unit. */
export interface UnitRegistryLike {
  membersOf(name: string): readonly string[];
}

export interface InstancesFromPlanOptions {
  /** Identifies the plan, e.g. `city-2023-reform`; prefixes every instance id. */
  readonly planId: string;
  readonly warningLeadDays?: number;
  readonly escalateAfterDays?: number;
  readonly maxRejections?: number;
  /**
   * A late import: the import's instant (epoch ms). A task whose deadline has passed by then gets it as
   * `graceFrom`, so it is overdue as at the import and escalates and counts days from there.
   */
  readonly graceFrom?: number;
}

/** One instance to create. */
export interface PlannedInstance {
  readonly id: string;
  readonly workflow: 'reform-task';
  readonly input: ReformTaskInput;
}

/**
 * One `reform-task` instance per plan task, id `<planId>.<number padded to 3>`, with the members of
 * each collective unit on the task resolved through the registry now so the machine stays pure.
 * Pure; throws on a repeated task number. Inputs are validated when the engine creates them.
 */
export function instancesFromPlan(plan: PlanLike, registry: UnitRegistryLike, options: InstancesFromPlanOptions): PlannedInstance[] {
  const seen = new Set<number>();
  return plan.tasks.map((task) => {
    if (seen.has(task.number)) throw new Error(`plan ${options.planId} has task number ${task.number} twice`);
    seen.add(task.number);
    const collectives: Record<string, string[]> = {};
    for (const unit of new Set([...task.leadUnits, ...task.responsibleUnits])) {
      const members = registry.membersOf(unit);
      if (members.length > 0) collectives[unit] = [...members];
    }
    return {
      id: `${options.planId}.${String(task.number).padStart(3, '0')}`,
      workflow: 'reform-task',
      input: {
        planId: options.planId,
        number: task.number,
        part: task.part ?? '',
        measure: task.measure ?? '',
        text: task.text,
        leadUnits: [...task.leadUnits],
        responsibleUnits: [...task.responsibleUnits],
        deadline: { text: task.deadline.text, date: task.deadline.date, ongoing: task.deadline.ongoing },
        collectives,
        warningLeadDays: options.warningLeadDays ?? 3,
        escalateAfterDays: options.escalateAfterDays ?? 30,
        maxRejections: options.maxRejections ?? 3,
        ...(pastAt(task.deadline.date, options.graceFrom) ? { graceFrom: options.graceFrom! } : {}),
      },
    };
  });
}

function pastAt(date: string | null, at: number | undefined): boolean {
  return date !== null && at !== undefined && endOfDayShanghai(date) < at;
}
