import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { createActor, initialTransition } from 'xstate';
import type { MachineEvent } from './workflow-definition.ts';

/**
 * Every use of XState's API and internals in the engine: the initial and the pure transition, an
 * inert actor scope, rebuilding a snapshot from a stored value and context, and the check that a
 * machine has nothing the pure step would silently drop. Nothing else in the engine imports xstate.
 */

export type Machine = AnyStateMachine;
export type MachineSnapshot = AnyMachineSnapshot;

/** The machine's initial snapshot for `input`. */
export function initialSnapshot(machine: Machine, input: unknown): MachineSnapshot {
  return initialTransition(machine, input)[0];
}

/** The snapshot after `event`, computed without running anything (XState's pure `transition`). */
export function pureTransition(machine: Machine, before: MachineSnapshot, event: { readonly type: string }): MachineSnapshot {
  return machine.transition(before, event, inertScope(machine));
}

/** Whether `event` would take a transition from `snapshot`: some transition for it has a guard that passes. */
export function accepts(snapshot: MachineSnapshot, event: MachineEvent): boolean {
  return snapshot.can(event);
}

/** The machine's snapshot for a stored state value and context. */
export function resolveSnapshot(machine: Machine, value: string, context: unknown): MachineSnapshot {
  return machine.resolveState({ value, context });
}

const scopes = new WeakMap<Machine, AnyActorScope>();

/**
 * What XState's pure `transition()` builds on every call: an actor scope that executes nothing.
 * Building it creates an actor (which evaluates the machine's initial context), so it is built once per
 * machine; with only `assign` actions and no child actors nothing in it changes between calls.
 */
function inertScope(machine: Machine): AnyActorScope {
  let scope = scopes.get(machine);
  if (scope === undefined) {
    const self = createActor(machine);
    const noop = () => {};
    scope = { self, id: '', sessionId: '', system: self.system, logger: noop, defer: noop, emit: noop, stopChild: noop, actionExecutor: noop } as AnyActorScope;
    scopes.set(machine, scope);
  }
  return scope;
}

/** The parts of XState's state nodes the check reads. */
interface StateNodeLike {
  readonly id: string;
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
  readonly transitions: ReadonlyMap<string, readonly { readonly actions: readonly unknown[] }[]>;
  readonly always?: readonly { readonly actions: readonly unknown[] }[];
  readonly after: readonly unknown[];
  readonly invoke: readonly unknown[];
  readonly states: Readonly<Record<string, StateNodeLike>>;
}

const ASSIGN = 'xstate.assign';

/**
 * What the engine's pure step would drop without a word, named by state and event: an action that is
 * not `assign` (a function, raise, sendTo, log, spawnChild…: the step executes no action, only
 * assignments change the context), an invoked actor, a delayed (`after`) transition (XState's delays
 * are not durable: deadlines are the engine's stored timers). Empty for a machine the engine can run. Pure.
 */
export function unsupportedParts(machine: Machine): string[] {
  const named = machine.implementations.actions as Readonly<Record<string, unknown>>;
  const typeOf = (action: unknown): string | undefined => (action as { type?: unknown } | null)?.type as string | undefined;
  const isAssign = (action: unknown): boolean => {
    if (typeof action === 'function') return typeOf(action) === ASSIGN;
    const name = typeof action === 'string' ? action : typeOf(action);
    if (name === ASSIGN) return true;
    return name !== undefined && Object.hasOwn(named, name) && typeOf(named[name]) === ASSIGN;
  };
  const describe = (action: unknown): string =>
    typeof action === 'string' ? `"${action}"` : typeof action === 'function' ? (typeOf(action) ?? 'a function') : `"${typeOf(action) ?? 'unknown'}"`;
  const found: string[] = [];
  const visit = (node: StateNodeLike) => {
    if (node.invoke.length > 0) found.push(`${node.id}: invokes an actor`);
    if (node.after.length > 0) found.push(`${node.id}: has a delayed (after) transition`);
    else {
      for (const action of node.entry) if (!isAssign(action)) found.push(`${node.id} entry: action ${describe(action)} is not assign`);
      for (const action of node.exit) if (!isAssign(action)) found.push(`${node.id} exit: action ${describe(action)} is not assign`);
    }
    for (const [event, transitions] of node.transitions) {
      if (event.startsWith('xstate.after.')) continue;
      for (const transition of transitions) for (const action of transition.actions) if (!isAssign(action)) found.push(`${node.id} on ${event}: action ${describe(action)} is not assign`);
    }
    for (const transition of node.always ?? []) for (const action of transition.actions) if (!isAssign(action)) found.push(`${node.id} always: action ${describe(action)} is not assign`);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root as unknown as StateNodeLike);
  return found;
}
