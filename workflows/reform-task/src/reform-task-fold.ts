import type { Actor } from '@duban/engine';
import type { ReformTaskAssign } from './reform-task-assigns.ts';
import { reformTaskAssigns } from './reform-task-assigns.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import { initialContext } from './reform-task-context.ts';
import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import type { ReformTaskInput } from './reform-task-input.ts';

/**
 * An audit entry of a reform task as the fold reads it: an accepted transition, its payload as the log
 * stored it, who sent it (null when the reader left actors out: only the events listed in
 * `foldActorTypes` read it) and when (epoch ms).
 */
export interface FoldableEntry {
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>> | null;
  readonly actor: Actor | null;
  readonly at: number;
  readonly from: string | null;
  readonly to: string;
}

/** A task as the fold keeps it: its state, whether the machine is done (a final state), its context. */
export interface FoldedTask {
  readonly value: string;
  readonly status: 'active' | 'done';
  readonly context: ReformTaskContext;
}

/** The entry types whose payload `foldReformTask` reads; a lean reader may leave out every other's. */
export const foldPayloadTypes: readonly string[] = [
  'CREATE', 'PROGRESS', 'REPORT', 'VERIFY', 'REJECT', 'CLOSE', 'URGE', 'ESCALATE', 'RECORD_INTERVIEW', 'REFER', 'REQUEST_EXTENSION',
  'DECIDE_EXTENSION', 'REASSIGN', 'AMEND', 'CANCEL', 'COMMENT', 'INSTRUCT', 'PART_PROGRESS', 'PART_DONE', 'RETURN_PART',
];

const FINAL_STATES: ReadonlySet<string> = new Set(['closed', 'accountability', 'cancelled']);

/**
 * The task after one of its audit entries, folded without the state machine: the entries in the log
 * are transitions the machine accepted, so only its `assign` actions (reform-task-assigns.ts, which
 * the machine runs too) are redone here, on the stored payload. `task` is undefined for the creating entry. Reading a past
 * plan this way skips XState's interpreter; a test holds it equal to the machine's replay. Pure.
 */
export function foldReformTask(task: FoldedTask | undefined, entry: FoldableEntry): FoldedTask {
  const status = FINAL_STATES.has(entry.to) ? 'done' : 'active';
  if (task === undefined) {
    const input = (entry.payload as { input: ReformTaskInput }).input;
    return { value: entry.to, status, context: initialContext(input) };
  }
  const context = task.context;
  const changes = assigned(context, entry);
  // The machine's `enterState` runs on every transition into another state (none re-enters its own).
  const entered = entry.to !== task.value ? { stateSince: entry.at } : {};
  return { value: entry.to, status, context: { ...context, ...changes, ...entered } };
}

/** What the machine's action for `entry` assigns (the same function: reform-task-assigns.ts). */
function assigned(context: ReformTaskContext, entry: FoldableEntry): Partial<ReformTaskContext> {
  const assign = (reformTaskAssigns as Readonly<Record<string, ReformTaskAssign<ReformTaskEventType> | undefined>>)[entry.type];
  if (assign === undefined) throw new Error(`foldReformTask: no action for entry type ${entry.type}`);
  const payload = (entry.payload ?? {}) as ReformTaskPayloads[ReformTaskEventType];
  return assign(context, { payload, actor: entry.actor ?? ACTOR_LEFT_OUT, at: entry.at });
}

/** The actor of an entry a lean reader gave without it: only the types in `foldActorTypes` read it. */
const ACTOR_LEFT_OUT: Actor = Object.freeze({
  get role(): never {
    throw new Error('foldReformTask: an entry of a type in foldActorTypes came without its actor');
  },
  get unit(): never {
    throw new Error('foldReformTask: an entry of a type in foldActorTypes came without its actor');
  },
  get account(): never {
    throw new Error('foldReformTask: an entry of a type in foldActorTypes came without its actor');
  },
}) as unknown as Actor;

/** Types whose action reads the actor: a lean reader must give it for these. */
export const foldActorTypes: readonly string[] = [
  'PROGRESS', 'REPORT', 'ESCALATE', 'REQUEST_EXTENSION', 'COMMENT', 'INSTRUCT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE', 'RETURN_PART',
];
