import type { z } from 'zod';
import type { Actor } from './actor.ts';
import type { AuditDraft } from './audit-entry.ts';
import { CREATE_EVENT } from './audit-entry.ts';
import { Forbidden, InvalidPayload, TransitionNotAllowed, UnknownEvent } from './errors.ts';
import type { EngineError } from './errors.ts';
import type { JsonObject } from './json.ts';
import type { AnyWorkflowDefinition, MachineEvent, StoredSnapshot, TimerSpec } from './workflow-definition.ts';
import type { Machine, MachineSnapshot } from './xstate-adapter.ts';
import { accepts, initialSnapshot, pureTransition, resolveSnapshot } from './xstate-adapter.ts';

/** What one accepted event produces: the next snapshot, its audit entry (unsealed) and its timers. */
export interface Step {
  readonly snapshot: StoredSnapshot;
  readonly draft: AuditDraft;
  /** Computed on first read: replay never needs them. */
  readonly timers: TimerSpec[];
  readonly tags: string[];
  /** The XState snapshot behind `snapshot`, so a caller stepping again need not rebuild it. */
  readonly machineSnapshot: MachineSnapshot;
}

export type StepResult = { ok: true; step: Step } | { ok: false; error: EngineError };

/** An instance as the pure core sees it. */
export interface InstanceState {
  readonly instanceId: string;
  readonly version: number;
  readonly snapshot: StoredSnapshot;
  /** The XState snapshot for `snapshot`, when the caller still has it (it must match `snapshot`). */
  readonly machineSnapshot?: MachineSnapshot;
}

/** Create an instance: validate its input, run the machine's initial transition. Pure. */
export function start(definition: AnyWorkflowDefinition, instanceId: string, input: unknown, actor: Actor, at: number): StepResult {
  const parsed = definition.input.safeParse(input);
  if (!parsed.success) return { ok: false, error: new InvalidPayload(CREATE_EVENT, zodIssues(parsed.error)) };
  const initial = initialSnapshot(definition.machine, parsed.data);
  const snapshot = toStored(initial);
  const payload: JsonObject = { workflow: definition.id, workflowVersion: definition.version, input: parsed.data };
  return ok(definition, initial, snapshot, { instanceId, version: 1, type: CREATE_EVENT, actor, payload, from: null, to: snapshot.value, at: iso(at) });
}

/**
 * Apply one event to an instance. Pure: the refusal order is role (403), payload (422), state (409);
 * a refusal returns the error and nothing else.
 */
export function step(definition: AnyWorkflowDefinition, current: InstanceState, type: string, payload: unknown, actor: Actor, at: number): StepResult {
  // Own keys only: `toString` or `__proto__` is an unknown event, not Object.prototype's.
  const spec = Object.hasOwn(definition.events, type) ? definition.events[type] : undefined;
  if (spec === undefined || type === CREATE_EVENT) {
    return { ok: false, error: new UnknownEvent(type, Object.keys(definition.events)) };
  }
  if ((spec.systemOnly === true && actor.role !== 'system') || !definition.authorize(actor, type, current.snapshot)) {
    return { ok: false, error: new Forbidden(type, actor.role) };
  }
  const parsed = spec.payload.safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, error: new InvalidPayload(type, zodIssues(parsed.error)) };
  const issues = spec.check?.(parsed.data, current.snapshot, at) ?? [];
  if (issues.length > 0) return { ok: false, error: new InvalidPayload(type, issues) };

  const before = current.machineSnapshot ?? toMachine(definition, current.snapshot);
  const event: MachineEvent = { type, payload: parsed.data, actor, at };
  const after = current.snapshot.status === 'active' ? pureTransition(definition.machine, before, event) : before;
  // XState returns the very same snapshot when no transition was taken; only then is can() needed
  // to tell a refusal from an accepted transition that changed nothing.
  if (after === before && (current.snapshot.status !== 'active' || !accepts(before, event))) {
    return { ok: false, error: new TransitionNotAllowed(type, current.snapshot.value, allowedEvents(definition, current.snapshot, actor, at)) };
  }
  if (after.status === 'error') throw new Error(`workflow ${definition.id}@${definition.version} failed on ${type}`, { cause: after.error });
  const snapshot = toStored(after);
  return ok(definition, after, snapshot, {
    instanceId: current.instanceId,
    version: current.version + 1,
    type,
    actor,
    payload: parsed.data,
    from: current.snapshot.value,
    to: snapshot.value,
    at: iso(at),
  });
}

/** The event types this actor may send now, in the definition's order. Pure. */
export function allowedEvents(definition: AnyWorkflowDefinition, snapshot: StoredSnapshot, actor: Actor, at: number): string[] {
  if (snapshot.status !== 'active') return [];
  const machineSnapshot = toMachine(definition, snapshot);
  return Object.entries(definition.events)
    .filter(([type, spec]) => (spec.systemOnly !== true || actor.role === 'system') && definition.authorize(actor, type, snapshot))
    .filter(([type]) => accepts(machineSnapshot, { type, payload: {}, actor, at } satisfies MachineEvent))
    .map(([type]) => type);
}

function ok(definition: AnyWorkflowDefinition, machineSnapshot: MachineSnapshot, snapshot: StoredSnapshot, draft: AuditDraft): StepResult {
  machineSnapshots.set(snapshot, { machine: definition.machine, machineSnapshot });
  const step: Step = {
    snapshot,
    draft,
    machineSnapshot,
    get timers() {
      return timersOf(definition, snapshot);
    },
    get tags() {
      return tagsOf(definition, snapshot);
    },
  };
  return { ok: true, step };
}

/**
 * The timers a snapshot arms, computed once per snapshot object: the next step on the same snapshot
 * (kept in memory by the store) diffs its timers against these without computing them again. Pure.
 */
export function timersOf(definition: AnyWorkflowDefinition, snapshot: StoredSnapshot): TimerSpec[] {
  return remembered(definition, snapshot).timers ??= definition.timers(snapshot);
}

/** The tags of a snapshot, computed once per snapshot object (as `timersOf`). Pure. */
export function tagsOf(definition: AnyWorkflowDefinition, snapshot: StoredSnapshot): string[] {
  return remembered(definition, snapshot).tags ??= definition.tags(snapshot);
}

/** What was computed from each snapshot, by the definition it was computed with. */
const derived = new WeakMap<StoredSnapshot, { definition: AnyWorkflowDefinition; timers?: TimerSpec[]; tags?: string[] }>();

function remembered(definition: AnyWorkflowDefinition, snapshot: StoredSnapshot): { timers?: TimerSpec[]; tags?: string[] } {
  let known = derived.get(snapshot);
  if (known === undefined || known.definition !== definition) derived.set(snapshot, (known = { definition }));
  return known;
}

/** The XState snapshot each stored snapshot a step produced came from (the answer lists its allowed events). */
const machineSnapshots = new WeakMap<StoredSnapshot, { machine: Machine; machineSnapshot: MachineSnapshot }>();

function toMachine(definition: AnyWorkflowDefinition, snapshot: StoredSnapshot): MachineSnapshot {
  const known = machineSnapshots.get(snapshot);
  if (known !== undefined && known.machine === definition.machine) return known.machineSnapshot;
  return resolveSnapshot(definition.machine, snapshot.value, snapshot.context);
}

function toStored(snapshot: MachineSnapshot): StoredSnapshot {
  if (typeof snapshot.value !== 'string') throw new Error('workflow machines must be flat: state value must be a string');
  return { value: snapshot.value, context: snapshot.context as JsonObject, status: snapshot.status === 'done' ? 'done' : 'active' };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
