import type { Actor, EventSpec, JsonObject, StoredSnapshot, TimerSpec, WorkflowDefinition } from '@duban/engine';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { cycleSettings } from './cycle-calendar.ts';
import type { ReportingCycleContext } from './reporting-cycle-definition.ts';
import { cycleTimers, scheduleSteps } from './reporting-cycle-definition.ts';

/**
 * One reporting schedule (version 2): a plan's (`taskId` null) or one task's own, overriding the plan's
 * for that task's parts (`taskId` the task). A version 1 instance has no `taskId`: it is a plan's.
 */
export interface ScheduleContext extends ReportingCycleContext {
  taskId: string | null;
}

/** The instance of one task's own reporting schedule (its override of the plan's): `cycles:<planId>#<number>` (`#` is never in a plan id). */
export const taskCyclesInstanceId = (planId: string, number: number) => `cycles:${planId}#${number}`;

const scheduleInput = z.strictObject({ planId: z.string().trim().min(1).max(100), taskId: z.string().trim().min(1).max(120).optional() });
type ScheduleInput = z.output<typeof scheduleInput>;

const cyclePayload = z.strictObject({ cycle: z.string().min(1).max(20) });

/** The events of a schedule: the office sets it or (a task's) clears it, back to the plan's; the system reminds and marks the due day passed. */
export const scheduleEventPayloads = {
  SET_CYCLES: cycleSettings,
  CLEAR_CYCLES: z.strictObject({}),
  REMIND: cyclePayload,
  CYCLE_DUE: cyclePayload,
} as const;
type ScheduleEventType = keyof typeof scheduleEventPayloads;

type ScheduleEvent = { type: ScheduleEventType; payload: JsonObject; actor: { role: string }; at: number };

const scheduleMachine = setup({
  types: {} as { context: ScheduleContext; events: ScheduleEvent; input: ScheduleInput },
  actions: {
    set: assign(({ event }) => scheduleSteps.set(event.payload, event.at)),
    clear: assign({ settings: null, cycle: null, reminded: false }),
    remind: assign({ reminded: true }),
    advance: assign(({ context, event }) => scheduleSteps.advance(context, event.at)),
  },
  guards: {
    running: ({ context }) => scheduleSteps.running(context),
    overridden: ({ context }) => context.taskId !== null && context.settings !== null,
    notReminded: ({ context, event }) => scheduleSteps.notReminded(context, event.at),
  },
}).createMachine({
  id: 'reporting-cycle',
  initial: 'open',
  context: ({ input }) => ({ planId: input.planId, taskId: input.taskId ?? null, settings: null, cycle: null, reminded: false }),
  states: {
    open: {
      on: {
        SET_CYCLES: { actions: 'set' },
        CLEAR_CYCLES: { guard: 'overridden', actions: 'clear' },
        REMIND: { guard: 'notReminded', actions: 'remind' },
        CYCLE_DUE: { guard: 'running', actions: 'advance' },
      },
    },
  },
});

function eventSpec(type: ScheduleEventType): EventSpec {
  return { payload: scheduleEventPayloads[type] as unknown as z.ZodType<JsonObject>, ...(type === 'REMIND' || type === 'CYCLE_DUE' ? { systemOnly: true } : {}) };
}

const mayAct = (actor: Actor, eventType: string, snapshot: StoredSnapshot<ScheduleContext>) => {
  if (eventType === 'SET_CYCLES') return actor.role === 'office';
  // Only a task's schedule is cleared: the plan's is set to `none` instead.
  if (eventType === 'CLEAR_CYCLES') return actor.role === 'office' && snapshot.context.taskId !== null;
  return actor.role === 'system';
};

/**
 * Workflow `reporting-cycle`, version 2: one reporting schedule, a plan's (`cycles:<planId>`, as in
 * version 1) or one task's own (`cycles:<planId>#<number>`, input `taskId`), which overrides the plan's
 * for that task's parts until the office clears it (CLEAR_CYCLES, audited; the instance stays, to be
 * set again). Each schedule is its own instance, so each has its own durable REMIND and CYCLE_DUE
 * timers (`cycleTimers`, as version 1). Version 1 instances keep running and replaying on version 1:
 * a plan's schedule there is the same; new instances take version 2. Pure.
 */
export const reportingCycleV2: WorkflowDefinition<ScheduleContext, ScheduleInput> = {
  id: 'reporting-cycle',
  version: 2,
  machine: scheduleMachine,
  input: scheduleInput as unknown as z.ZodType<ScheduleInput>,
  events: Object.fromEntries((Object.keys(scheduleEventPayloads) as ScheduleEventType[]).map((type) => [type, eventSpec(type)])),
  authorize: (actor, eventType, snapshot) => mayAct(actor, eventType, snapshot),
  visibleTo: () => false,
  timers: (snapshot): TimerSpec[] => cycleTimers(snapshot),
  tags: () => [],
};

/** The task a schedule belongs to: null for a plan's (a version 1 instance has no `taskId`). Pure. */
export const scheduleTask = (context: ReportingCycleContext): string | null => (context as Partial<ScheduleContext>).taskId ?? null;
