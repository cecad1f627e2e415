import type { Actor, EventSpec, JsonObject, StoredSnapshot, TimerSpec, WorkflowDefinition } from '@duban/engine';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { CycleSettings } from './cycle-calendar.ts';
import { cycleAt, cycleByKey, cycleSettings, nextCycle } from './cycle-calendar.ts';

/**
 * A plan's reporting cycles: the settings in force (null until the office sets them), the key of the
 * cycle now running (the next to fall due) and whether its reminder went out.
 */
export interface ReportingCycleContext extends JsonObject {
  planId: string;
  settings: CycleSettings | null;
  cycle: string | null;
  reminded: boolean;
}

/** The instance of a plan's reporting cycles. */
export const cyclesInstanceId = (planId: string) => `cycles:${planId}`;

const reportingCycleInput = z.strictObject({ planId: z.string().trim().min(1).max(100) });
type ReportingCycleInput = z.output<typeof reportingCycleInput>;

const cyclePayload = z.strictObject({ cycle: z.string().min(1).max(20) });

/** The events of the reporting cycles: the office sets them; the system reminds before the due day and marks it passed. */
export const reportingCycleEventPayloads = {
  SET_CYCLES: cycleSettings,
  REMIND: cyclePayload,
  CYCLE_DUE: cyclePayload,
} as const;
export type ReportingCycleEventType = keyof typeof reportingCycleEventPayloads;

type CycleEvent = { type: ReportingCycleEventType; payload: JsonObject; actor: { role: string }; at: number };

/** The running cycle after `at` under `settings`, and whether its reminder time has already gone by (then none is sent). Pure. */
function runningFrom(settings: CycleSettings, from: { key: string } | undefined, at: number): Pick<ReportingCycleContext, 'cycle' | 'reminded'> {
  const cycle = from === undefined ? cycleAt(settings, at) : nextCycle(settings, from.key);
  return cycle === undefined ? { cycle: null, reminded: false } : { cycle: cycle.key, reminded: cycle.remindAt <= at };
}

type Schedule = Pick<ReportingCycleContext, 'settings' | 'cycle' | 'reminded'>;

/** What a schedule's events change and when they apply: one set of pure functions for every version of the workflow. */
export const scheduleSteps = {
  /** SET_CYCLES: the settings, and the cycle running at `at` under them. */
  set: (payload: JsonObject, at: number): Schedule => {
    const settings = cycleSettings.parse(payload);
    return { settings, ...runningFrom(settings, undefined, at) };
  },
  /** CYCLE_DUE: on to the next cycle. */
  advance: (context: Schedule, at: number): Partial<Schedule> => (context.settings === null || context.cycle === null ? {} : runningFrom(context.settings, { key: context.cycle }, at)),
  running: (context: Schedule): boolean => context.settings !== null && context.cycle !== null,
  /** A reminder after the due day (the server was down through it) says nothing useful: it is dropped, the 催报 follows. */
  notReminded: (context: Schedule, at: number): boolean => {
    const cycle = context.settings === null || context.cycle === null ? undefined : cycleByKey(context.settings, context.cycle);
    return cycle !== undefined && !context.reminded && at < cycle.dueAt;
  },
};

const reportingCycleMachine = setup({
  types: {} as { context: ReportingCycleContext; events: CycleEvent; input: ReportingCycleInput },
  actions: {
    set: assign(({ event }) => scheduleSteps.set(event.payload, event.at)),
    remind: assign({ reminded: true }),
    advance: assign(({ context, event }) => scheduleSteps.advance(context, event.at)),
  },
  guards: {
    running: ({ context }) => scheduleSteps.running(context),
    notReminded: ({ context, event }) => scheduleSteps.notReminded(context, event.at),
  },
}).createMachine({
  id: 'reporting-cycle',
  initial: 'open',
  context: ({ input }) => ({ planId: input.planId, settings: null, cycle: null, reminded: false }),
  states: {
    open: {
      on: {
        SET_CYCLES: { actions: 'set' },
        REMIND: { guard: 'notReminded', actions: 'remind' },
        CYCLE_DUE: { guard: 'running', actions: 'advance' },
      },
    },
  },
});

function eventSpec(type: ReportingCycleEventType): EventSpec {
  return { payload: reportingCycleEventPayloads[type] as unknown as z.ZodType<JsonObject>, ...(type === 'SET_CYCLES' ? {} : { systemOnly: true }) };
}

/** The timers of the running cycle: its reminder (unless sent or gone by) and its due instant. Pure. */
export function cycleTimers(snapshot: StoredSnapshot<ReportingCycleContext>): TimerSpec[] {
  const { settings, cycle: key, reminded } = snapshot.context;
  if (settings === null || key === null) return [];
  const cycle = cycleByKey(settings, key);
  if (cycle === undefined) return [];
  const due: TimerSpec = { key: `due:${cycle.key}`, dueAt: cycle.dueAt, event: { type: 'CYCLE_DUE', payload: { cycle: cycle.key } } };
  return reminded ? [due] : [{ key: `remind:${cycle.key}`, dueAt: cycle.remindAt, event: { type: 'REMIND', payload: { cycle: cycle.key } } }, due];
}

const mayAct = (actor: Actor, eventType: string) => (eventType === 'SET_CYCLES' ? actor.role === 'office' : actor.role === 'system');

/**
 * Workflow `reporting-cycle`, version 1: a plan's reporting cycles (信息报送), one instance a plan
 * (`cycles:<planId>`), flat and assign-only. The office sets the cycles (SET_CYCLES, an audited entry);
 * durable timers send REMIND before the due day and CYCLE_DUE at its end, which moves on to the next
 * cycle. Who has reported is not its business: the server reads it from the tasks' entries. Nobody
 * sees it as a task. Pure.
 */
export const reportingCycleV1: WorkflowDefinition<ReportingCycleContext, ReportingCycleInput> = {
  id: 'reporting-cycle',
  version: 1,
  machine: reportingCycleMachine,
  input: reportingCycleInput as unknown as z.ZodType<ReportingCycleInput>,
  events: Object.fromEntries((Object.keys(reportingCycleEventPayloads) as ReportingCycleEventType[]).map((type) => [type, eventSpec(type)])),
  authorize: (actor, eventType) => mayAct(actor, eventType),
  visibleTo: () => false,
  timers: cycleTimers,
  tags: () => [],
};
