import type { Machine } from './xstate-adapter.ts';
import type { z } from 'zod';
import type { Actor } from './actor.ts';
import type { Json, JsonObject } from './json.ts';

/** The part of an XState snapshot the engine stores: a state value and a JSON context. */
export interface StoredSnapshot<TContext extends JsonObject = JsonObject> {
  readonly value: string;
  readonly context: TContext;
  readonly status: 'active' | 'done';
}

/** A timer the definition wants armed for an instance: at `dueAt` (epoch ms) send `event` as the system. */
export interface TimerSpec {
  readonly key: string;
  readonly dueAt: number;
  readonly event: { readonly type: string; readonly payload?: JsonObject };
}

/** How one event type is described to the engine. */
export interface EventSpec {
  /** Strict schema of the payload (everything but `type`). */
  readonly payload: z.ZodType<JsonObject>;
  /** Only the system (timers) may send it. Other events are open to whoever `authorize` admits, the system included. */
  readonly systemOnly?: boolean;
  /** Payload rules that need the instance or the event's time (epoch ms; e.g. a date after its deadline, or not in the future); each issue refuses with 422. */
  readonly check?: (payload: JsonObject, snapshot: StoredSnapshot, at: number) => { path: string; message: string }[];
}

/**
 * The event object the machine receives: the validated payload, who sent it and when (epoch ms).
 * Guards may read all of it but must not depend on `payload`: to list allowed events the engine
 * asks `can()` with an empty payload. Payload rules belong in `EventSpec.payload` and `EventSpec.check`.
 */
export interface MachineEvent {
  readonly type: string;
  readonly payload: JsonObject;
  readonly actor: Actor;
  readonly at: number;
}

/**
 * A versioned workflow: an XState v5 machine plus what the engine needs around it.
 * Every function here must be pure: same arguments, same result, no IO, no clock.
 */
export interface WorkflowDefinition<TContext extends JsonObject = JsonObject, TInput extends JsonObject = JsonObject> {
  readonly id: string;
  readonly version: number;
  /** Flat machine (string state values); its input is the validated instance input; its context is JSON. */
  readonly machine: Machine;
  readonly input: z.ZodType<TInput>;
  readonly events: Readonly<Record<string, EventSpec>>;
  /** Role rules: may this actor ever send this event type to this instance? (State rules live in the machine.) */
  authorize(actor: Actor, eventType: string, snapshot: StoredSnapshot<TContext>): boolean;
  /** May this actor see this instance at all? */
  visibleTo(actor: Actor, snapshot: StoredSnapshot<TContext>): boolean;
  /** The timers that should be armed in this snapshot. Recomputed after every transition. */
  timers(snapshot: StoredSnapshot<TContext>): TimerSpec[];
  /** Index terms stored beside the instance for filtered listing, e.g. `state:reported`, `unit:市发改委`. */
  tags(snapshot: StoredSnapshot<TContext>): string[];
}

export type AnyWorkflowDefinition = WorkflowDefinition<any, any>;
export type { Json };
