import type { Actor } from '@duban/engine';
import { and, assertEvent, assign, not, or, setup } from 'xstate';
import type { ReformTaskContext } from './reform-task-context.ts';
import { initialContext } from './reform-task-context.ts';
import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import type { ReformTaskInput } from './reform-task-input.ts';
import { partState } from './task-parts.ts';
import { deadlineDueAt, escalationDue, warningDueAt } from './reform-task-schedule.ts';
import type { AssignedEvent, ReformTaskAssign } from './reform-task-assigns.ts';
import { reformTaskAssigns } from './reform-task-assigns.ts';

/** The event the machine receives: a validated payload, who sent it and when (epoch ms). */
export type ReformTaskEvent = {
  [K in ReformTaskEventType]: { type: K; payload: ReformTaskPayloads[K]; actor: Actor; at: number };
}[ReformTaskEventType];

/**
 * A unit's own part moves beside the task's state, in every active state: before the lead signs,
 * while it works, and while the office verifies (a district may still finish its part).
 */
const partTransitions = {
  ACKNOWLEDGE_PART: { guard: 'ownPartAssigned', actions: 'recordPartAcknowledged' },
  PART_PROGRESS: { guard: 'ownPartOpen', actions: 'recordPartProgress' },
  PART_DONE: { guard: 'ownPartOpen', actions: 'recordPartDone' },
  // Which part is the payload's (checked against the parts before the machine: part-checks.ts).
  RETURN_PART: { guard: 'somePartDone', actions: 'recordPartReturn' },
} as const;

/**
 * The reform-task lifecycle (DESIGN "The reform-task lifecycle"). Flat, JSON context, pure `assign`
 * actions only. Guards read the time and the context, never the payload.
 *
 * The machine says when an event is accepted, never who may send it: that is `eventSenders`
 * (reform-task-policy.ts), which the engine asks (through `authorize`) before the machine. The one
 * guard that reads the actor's role, `isAutomatic`, tells the system's escalation (its timer's, accepted
 * only when due and only before a report) from an office's (accepted any time until verified). The
 * part guards read the actor's unit: a part event always acts on the sender's own part.
 */
export const reformTaskMachine = setup({
  types: {} as { context: ReformTaskContext; events: ReformTaskEvent; input: ReformTaskInput },
  guards: {
    isAutomatic: ({ event }) => event.actor.role === 'system',
    isOngoing: ({ context }) => context.deadline.ongoing,
    hasDeadline: ({ context }) => context.deadlineAt !== null,
    hadInterview: ({ context }) => context.interviews.length > 0,
    hasPendingExtension: ({ context }) => context.pendingExtension !== null,
    // Part guards read the sender's own part: the part an event acts on is always the sender's unit.
    ownPartAssigned: ({ context, event }) => event.actor.unit !== null && partState(context, event.actor.unit) === 'assigned',
    ownPartOpen: ({ context, event }) => event.actor.unit !== null && partState(context, event.actor.unit) !== 'done',
    somePartDone: ({ context }) => Object.values(context.parts ?? {}).some((part) => part.state === 'done'),
    warningIsDue: ({ context, event }) => isDue(warningDueAt(context), event.at),
    deadlineIsDue: ({ context, event }) => isDue(deadlineDueAt(context), event.at),
    escalationIsDue: ({ context, event }) => isDue(escalationDue(context)?.dueAt ?? null, event.at),
  },
  actions: {
    enterState: assign({ stateSince: ({ event }) => event.at }),
    // Each assigns what reformTaskAssigns says (reform-task-assigns.ts), as the fold of the log does.
    recordStart: assign(({ context, event }) => assigned('START', context, event)),
    recordProgress: assign(({ context, event }) => assigned('PROGRESS', context, event)),
    recordReport: assign(({ context, event }) => assigned('REPORT', context, event)),
    recordVerification: assign(({ context, event }) => assigned('VERIFY', context, event)),
    recordRejection: assign(({ context, event }) => assigned('REJECT', context, event)),
    recordClose: assign(({ context, event }) => assigned('CLOSE', context, event)),
    recordUrge: assign(({ context, event }) => assigned('URGE', context, event)),
    recordEscalation: assign(({ context, event }) => assigned('ESCALATE', context, event)),
    recordInterview: assign(({ context, event }) => assigned('RECORD_INTERVIEW', context, event)),
    recordReferral: assign(({ context, event }) => assigned('REFER', context, event)),
    recordExtensionRequest: assign(({ context, event }) => assigned('REQUEST_EXTENSION', context, event)),
    recordExtensionDecision: assign(({ context, event }) => assigned('DECIDE_EXTENSION', context, event)),
    recordReassignment: assign(({ context, event }) => assigned('REASSIGN', context, event)),
    recordAmendment: assign(({ context, event }) => assigned('AMEND', context, event)),
    recordCancellation: assign(({ context, event }) => assigned('CANCEL', context, event)),
    recordComment: assign(({ context, event }) => assigned('COMMENT', context, event)),
    recordInstruction: assign(({ context, event }) => assigned('INSTRUCT', context, event)),
    recordPartAcknowledged: assign(({ context, event }) => assigned('ACKNOWLEDGE_PART', context, event)),
    recordPartProgress: assign(({ context, event }) => assigned('PART_PROGRESS', context, event)),
    recordPartDone: assign(({ context, event }) => assigned('PART_DONE', context, event)),
    recordPartReturn: assign(({ context, event }) => assigned('RETURN_PART', context, event)),
    recordWarning: assign(({ context, event }) => assigned('WARN', context, event)),
    recordOverdue: assign(({ context, event }) => assigned('DEADLINE_PASSED', context, event)),
  },
}).createMachine({
  id: 'reform-task',
  initial: 'assigned',
  context: ({ input }) => initialContext(input),
  states: {
    assigned: {
      on: {
        START: { target: 'in_progress', actions: 'recordStart' },
        URGE: { actions: 'recordUrge' },
        ESCALATE: { guard: or([not('isAutomatic'), 'escalationIsDue']), target: 'interview', actions: 'recordEscalation' },
        // Before the limit or after it: an overdue unit may still ask for more time (the request's date must lie ahead).
        REQUEST_EXTENSION: {
          guard: and(['hasDeadline', not('hasPendingExtension')]),
          actions: 'recordExtensionRequest',
        },
        DECIDE_EXTENSION: { guard: 'hasPendingExtension', actions: 'recordExtensionDecision' },
        REASSIGN: { actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled', actions: 'recordCancellation' },
        AMEND: { actions: 'recordAmendment' },
        COMMENT: { actions: 'recordComment' },
        INSTRUCT: { actions: 'recordInstruction' },
        ...partTransitions,
        WARN: { guard: 'warningIsDue', actions: 'recordWarning' },
        DEADLINE_PASSED: { guard: 'deadlineIsDue', actions: 'recordOverdue' },
      },
    },
    in_progress: {
      entry: 'enterState',
      on: {
        PROGRESS: { actions: 'recordProgress' },
        REPORT: { target: 'reported', actions: 'recordReport' },
        URGE: { actions: 'recordUrge' },
        ESCALATE: { guard: or([not('isAutomatic'), 'escalationIsDue']), target: 'interview', actions: 'recordEscalation' },
        REFER: { guard: 'hadInterview', target: 'accountability', actions: 'recordReferral' },
        // Before the limit or after it: an overdue unit may still ask for more time (the request's date must lie ahead).
        REQUEST_EXTENSION: {
          guard: and(['hasDeadline', not('hasPendingExtension')]),
          actions: 'recordExtensionRequest',
        },
        DECIDE_EXTENSION: { guard: 'hasPendingExtension', actions: 'recordExtensionDecision' },
        REASSIGN: { actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled', actions: 'recordCancellation' },
        AMEND: { actions: 'recordAmendment' },
        COMMENT: { actions: 'recordComment' },
        INSTRUCT: { actions: 'recordInstruction' },
        ...partTransitions,
        WARN: { guard: 'warningIsDue', actions: 'recordWarning' },
        DEADLINE_PASSED: { guard: 'deadlineIsDue', actions: 'recordOverdue' },
      },
    },
    reported: {
      entry: 'enterState',
      on: {
        VERIFY: { target: 'verified', actions: 'recordVerification' },
        REJECT: { target: 'in_progress', actions: 'recordRejection' },
        URGE: { actions: 'recordUrge' },
        // The system escalates only tasks that have not reported: none from here.
        ESCALATE: { guard: not('isAutomatic'), target: 'interview', actions: 'recordEscalation' },
        DECIDE_EXTENSION: { guard: 'hasPendingExtension', actions: 'recordExtensionDecision' },
        REASSIGN: { actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled', actions: 'recordCancellation' },
        AMEND: { actions: 'recordAmendment' },
        COMMENT: { actions: 'recordComment' },
        INSTRUCT: { actions: 'recordInstruction' },
        ...partTransitions,
      },
    },
    verified: {
      entry: 'enterState',
      on: {
        CLOSE: { target: 'closed', actions: 'recordClose' },
        PROGRESS: { guard: 'isOngoing', actions: 'recordProgress' },
        URGE: { actions: 'recordUrge' },
        DECIDE_EXTENSION: { guard: 'hasPendingExtension', actions: 'recordExtensionDecision' },
        REASSIGN: { actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled', actions: 'recordCancellation' },
        AMEND: { actions: 'recordAmendment' },
        COMMENT: { actions: 'recordComment' },
        INSTRUCT: { actions: 'recordInstruction' },
        ...partTransitions,
      },
    },
    interview: {
      entry: 'enterState',
      on: {
        RECORD_INTERVIEW: { target: 'in_progress', actions: 'recordInterview' },
        REFER: { target: 'accountability', actions: 'recordReferral' },
        URGE: { actions: 'recordUrge' },
        DECIDE_EXTENSION: { guard: 'hasPendingExtension', actions: 'recordExtensionDecision' },
        REASSIGN: { actions: 'recordReassignment' },
        CANCEL: { target: 'cancelled', actions: 'recordCancellation' },
        AMEND: { actions: 'recordAmendment' },
        COMMENT: { actions: 'recordComment' },
        INSTRUCT: { actions: 'recordInstruction' },
        ...partTransitions,
      },
    },
    closed: { type: 'final', entry: 'enterState' },
    accountability: { type: 'final', entry: 'enterState' },
    cancelled: { type: 'final', entry: 'enterState' },
  },
});

function isDue(dueAt: number | null, at: number): boolean {
  return dueAt !== null && at >= dueAt;
}

/** What the action of `type` assigns for `event`, which must be of that type. Pure. */
function assigned<K extends ReformTaskEventType>(type: K, context: ReformTaskContext, event: ReformTaskEvent): Partial<ReformTaskContext> {
  assertEvent(event, type);
  return (reformTaskAssigns[type] as ReformTaskAssign<K>)(context, event as unknown as AssignedEvent<K>);
}
