import type { Actor } from '@duban/engine';
import type { ReformTaskContext } from './reform-task-context.ts';

type Parties = Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'>;

/**
 * Every unit that is a party to the task: its lead and responsible units and the members of any
 * collective among them (e.g. each district government under 各区人民政府). Pure.
 */
export function partyUnits(task: Parties): string[] {
  const named = [...task.leadUnits, ...task.responsibleUnits];
  return [...new Set(named.flatMap((unit) => [unit, ...(task.collectives[unit] ?? [])]))];
}

/** Is the actor a unit that leads the task (named as such, not through a collective)? Pure. */
export function isLeadActor(task: Parties, actor: Actor): boolean {
  return actor.role === 'unit' && actor.unit !== null && task.leadUnits.includes(actor.unit);
}

/** Is the actor a unit that is a party to the task? Pure. */
export function isPartyActor(task: Parties, actor: Actor): boolean {
  const unit = actor.role === 'unit' ? actor.unit : null;
  if (unit === null) return false;
  // partyUnits(task).includes(unit), without building the list: it runs on every request.
  const named = (u: string) => u === unit || (Object.hasOwn(task.collectives, u) && task.collectives[u]!.includes(unit));
  return task.leadUnits.some(named) || task.responsibleUnits.some(named);
}
