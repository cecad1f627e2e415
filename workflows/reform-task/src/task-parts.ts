import type { Actor } from '@duban/engine';
import type { ReformTaskContext, ReportingPerson } from './reform-task-context.ts';
import { isPartyActor, partyUnits } from './task-parties.ts';
import assessmentRules from '../assessment-rules.json' with { type: 'json' };

/** Wordings that name no accountable unit (市级各有关部门 …): nobody can act for them, so they hold no part. */
const UNNAMED: ReadonlySet<string> = new Set(assessmentRules.notAssessed);

/** The states of one unit's part of a task: assigned → acknowledged → reporting → done. */
export const partStates = ['assigned', 'acknowledged', 'reporting', 'done'] as const;

export type PartState = (typeof partStates)[number];

/** The events a unit sends on its own part (the reporting cycles count them). */
export const partEvents = ['ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE'] as const;

/**
 * What the task remembers of one unit's part, from its first part event on. A part with no record
 * is `assigned` with nothing reported (`defaultPart`): records are made lazily, so tasks stored
 * before parts existed keep their context (and their hash chain) as stored.
 */
export type PartRecord = {
  state: Exclude<PartState, 'assigned'>;
  acknowledgedAt: number | null;
  /** Progress lines reported on the part so far. */
  progressReports: number;
  lastProgress: { summary: string; percent: number | null; at: number; person?: ReportingPerson } | null;
  /** The latest percent the unit gave (100 once done); null while it gave none. */
  percent: number | null;
  done: { summary: string; at: number; person?: ReportingPerson } | null;
  /** The latest RETURN_PART of a done part: why, when, and the lead unit that returned it (null: the office). Absent until one. */
  lastReturn?: { reason: string; at: number; by: string | null };
};

/** One part as views and reports read it: the unit, its state and what it reported. */
export type PartView = {
  unit: string;
  state: PartState;
  percent: number | null;
  progressReports: number;
  lastProgress: PartRecord['lastProgress'];
  acknowledgedAt: number | null;
  doneAt: number | null;
  doneSummary: string | null;
  /** Why the part was last returned (RETURN_PART), when it was; null otherwise. */
  returnedReason: string | null;
};

type Parties = Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'>;

/**
 * The units that have a part of the task: every party unit that does not lead it — each
 * responsible unit, and each member of a collective in place of the collective's own name (各区人民政府
 * stands for four district governments, each with its own part). Wordings that name no one
 * (`notAssessed` in assessment-rules.json: 市级各有关部门 …) have none. Pure.
 */
export function partUnits(task: Parties): string[] {
  const lead = new Set(task.leadUnits);
  return partyUnits(task).filter((unit) => !lead.has(unit) && !Object.hasOwn(task.collectives, unit) && !UNNAMED.has(unit));
}

/** Is the actor a unit with a part of the task (acting for itself, never for a collective)? Pure. */
export function isPartHolder(task: Parties, actor: Actor): boolean {
  const unit = actor.role === 'unit' ? actor.unit : null;
  // partUnits(task).includes(unit), without building the list: authorize runs it for every task a list shows.
  return unit !== null && isPartyActor(task, actor) && !task.leadUnits.includes(unit) && !Object.hasOwn(task.collectives, unit) && !UNNAMED.has(unit);
}

/** The record of a unit's part, or undefined while the unit has sent no part event. Pure. */
export function partRecord(task: Pick<ReformTaskContext, 'parts'>, unit: string | null): PartRecord | undefined {
  if (unit === null || task.parts === undefined || !Object.hasOwn(task.parts, unit)) return undefined;
  return task.parts[unit];
}

/** The state of a unit's part: `assigned` while it has no record. Pure. */
export function partState(task: Pick<ReformTaskContext, 'parts'>, unit: string | null): PartState {
  return partRecord(task, unit)?.state ?? 'assigned';
}

/** Every part of the task, in the order of `partUnits`, with the default for parts with no record. Pure. */
export function taskParts(task: Parties & Pick<ReformTaskContext, 'parts'>): PartView[] {
  return partUnits(task).map((unit) => {
    const record = partRecord(task, unit);
    return {
      unit,
      state: record?.state ?? 'assigned',
      percent: record?.percent ?? null,
      progressReports: record?.progressReports ?? 0,
      lastProgress: record?.lastProgress ?? null,
      acknowledgedAt: record?.acknowledgedAt ?? null,
      doneAt: record?.done?.at ?? null,
      doneSummary: record?.done?.summary ?? null,
      returnedReason: record?.lastReturn?.reason ?? null,
    };
  });
}

/** "部分 3/5 完成": how many parts are done of how many; null for a task with no parts. Pure. */
export function partsDone(parts: readonly Pick<PartView, 'state'>[]): { done: number; total: number } | null {
  if (parts.length === 0) return null;
  return { done: parts.filter((part) => part.state === 'done').length, total: parts.length };
}

type Issue = { path: string; message: string };

/**
 * RETURN_PART: the unit named must have a part of the task, and that part must be done. With no part
 * done at all the machine refuses the event itself (409), not its payload. Pure.
 */
export function checkPartReturn(payload: { unit: string }, task: Parties & Pick<ReformTaskContext, 'parts'>): Issue[] {
  const anyDone = Object.values(task.parts ?? {}).some((part) => part.state === 'done');
  if (!anyDone) return [];
  if (!partUnits(task).includes(payload.unit)) return [{ path: 'unit', message: `“${payload.unit}”在本任务没有承担部分` }];
  if (partState(task, payload.unit) !== 'done') return [{ path: 'unit', message: `“${payload.unit}”承担的部分尚未完成，无需退回` }];
  return [];
}
