import type { ReformTaskContext } from '@duban/reform-task';
import { partyUnits } from '@duban/reform-task';

/** The task entries that count as a part's report in a cycle (PART_PROGRESS and PART_DONE: the parts' own events). */
export const REPORTING_TYPES: readonly string[] = ['PROGRESS', 'REPORT', 'PART_PROGRESS', 'PART_DONE'];

/** The task states that owe a report each cycle: the work is under way (assigned, in progress, after an interview). */
export const OWING_STATES: readonly string[] = ['assigned', 'in_progress', 'interview'];

/** One part of a task: a unit that owes its own report in each cycle. */
export interface Part {
  readonly taskId: string;
  readonly number: number;
  readonly text: string;
  readonly unit: string;
  /** Does the unit lead the task (牵头), or share it (配合)? */
  readonly lead: boolean;
}

type PartyFields = Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'>;

/**
 * The units of a task that each owe a cycle's report: every party, each member of a collective instead
 * of the collective's name; a collective wording with no known members (市级各有关部门, in `collectives`)
 * names nobody who could report, and owes nothing. Unlike the task's parts (`partUnits` in
 * @duban/reform-task: supporting units only), the lead units owe a report too: theirs is PROGRESS. Pure.
 */
export function reportingUnits(task: PartyFields, collectives: ReadonlySet<string>): string[] {
  return partyUnits(task).filter((unit) => !Object.hasOwn(task.collectives, unit) && !collectives.has(unit));
}

/** A task as the parts read it. */
export interface PartTask {
  readonly id: string;
  readonly snapshot: { readonly value: string; readonly context: PartyFields & Pick<ReformTaskContext, 'number' | 'text' | 'planId'> };
}

/** The parts that owe a report now: one per unit of each task in an owing state, in task order; `collectives`: the registry's collective names. Pure. */
export function owingParts(tasks: readonly PartTask[], collectives: ReadonlySet<string>): Part[] {
  return tasks
    .filter((task) => OWING_STATES.includes(task.snapshot.value))
    .flatMap(({ id, snapshot: { context } }) => {
      const leads = new Set(context.leadUnits.flatMap((unit) => [unit, ...(context.collectives[unit] ?? [])]));
      return reportingUnits(context, collectives).map((unit) => ({ taskId: id, number: context.number, text: context.text, unit, lead: leads.has(unit) }));
    });
}

/** The key of a part in sets and maps. */
export const partKey = (taskId: string, unit: string) => `${taskId}\u0000${unit}`;
