import type { Actor } from '@duban/engine';
import { and, assertEvent, assign, not, or, setup } from 'xstate';
import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import { initialContext } from './reform-task-context.ts';
import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import type { ReformTaskInput } from './reform-task-input.ts';
import type { PartRecord } from './task-parts.ts';
import { partRecord, partState } from './task-parts.ts';
import { deadlineDueAt, escalationDue, lateFrom, warningDueAt } from './reform-task-schedule.ts';
import { amendedFields } from './amend-check.ts';

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
    recordStart: assign(({ event }) => {
      assertEvent(event, 'START');
      return { startedAt: event.at };
    }),
    recordProgress: assign(({ event }) => {
      assertEvent(event, 'PROGRESS');
      const { summary, percent } = event.payload;
      return { lastProgress: { summary, percent: percent ?? null, at: event.at, by: event.actor.unit, ...personOf(event.actor) } };
    }),
    recordReport: assign(({ event }) => {
      assertEvent(event, 'REPORT');
      const { summary, evidence } = event.payload;
      return {
        reportedAt: event.at,
        lastReport: { summary, evidence: evidence.map((e) => ({ title: e.title, ref: e.ref ?? null })), at: event.at, by: event.actor.unit, ...personOf(event.actor) },
      };
    }),
    recordVerification: assign(({ event }) => {
      assertEvent(event, 'VERIFY');
      const { opinion, checks } = event.payload;
      // `checks` only when given: verifications without them keep the context they always had.
      return { verifiedAt: event.at, lastVerification: { opinion: opinion ?? null, at: event.at, ...(checks === undefined ? {} : { checks }) } };
    }),
    recordRejection: assign(({ context, event }) => {
      assertEvent(event, 'REJECT');
      return {
        rejections: context.rejections + 1,
        rejectionsSinceInterview: context.rejectionsSinceInterview + 1,
        lastRejection: { reason: event.payload.reason, at: event.at, ...(event.payload.failed === undefined ? {} : { failed: event.payload.failed }) },
      };
    }),
    recordClose: assign(({ event }) => {
      assertEvent(event, 'CLOSE');
      return { closedAt: event.at, closeNote: event.payload.note ?? null, commended: event.payload.commend ?? false };
    }),
    recordUrge: assign(({ context, event }) => {
      assertEvent(event, 'URGE');
      return { urges: context.urges + 1, lastUrge: { message: event.payload.message, at: event.at } };
    }),
    recordEscalation: assign(({ event }) => {
      assertEvent(event, 'ESCALATE');
      return { escalatedBy: event.actor.role, escalationReason: event.payload.reason };
    }),
    recordInterview: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_INTERVIEW');
      const { heldOn, attendees, findings, rectifyBy } = event.payload;
      return {
        interviews: [...context.interviews, { heldOn, attendees, findings, rectifyBy, recordedAt: event.at }],
        // The rectification date becomes the limit in force; the task starts a fresh clock.
        dueDate: rectifyBy,
        deadlineAt: endOfDayShanghai(rectifyBy),
        warned: false,
        overdue: false,
        overdueSince: null,
        rejectionsSinceInterview: 0,
      };
    }),
    recordReferral: assign(({ event }) => {
      assertEvent(event, 'REFER');
      return { referral: { reason: event.payload.reason, referredTo: event.payload.referredTo, at: event.at } };
    }),
    recordExtensionRequest: assign(({ event }) => {
      assertEvent(event, 'REQUEST_EXTENSION');
      return {
        pendingExtension: { until: event.payload.until, reason: event.payload.reason, requestedBy: event.actor.unit, requestedAt: event.at },
      };
    }),
    recordExtensionDecision: assign(({ context, event }) => {
      assertEvent(event, 'DECIDE_EXTENSION');
      const { approve, note } = event.payload;
      const pending = context.pendingExtension;
      if (pending === null) throw new Error('DECIDE_EXTENSION without a pending request (guard hasPendingExtension)');
      if (!approve) {
        return { pendingExtension: null, lastExtensionDecision: { approve, until: null, note: note ?? null, at: event.at } };
      }
      const until = event.payload.until ?? pending.until;
      return {
        pendingExtension: null,
        lastExtensionDecision: { approve, until, note: note ?? null, at: event.at },
        extensions: [...context.extensions, { from: context.dueDate, until, requested: pending.until, note: note ?? null, grantedAt: event.at }],
        dueDate: until,
        deadlineAt: endOfDayShanghai(until),
        warned: false,
        overdue: false,
        overdueSince: null,
      };
    }),
    recordReassignment: assign(({ event }) => {
      assertEvent(event, 'REASSIGN');
      return { leadUnits: event.payload.leadUnits };
    }),
    recordAmendment: assign(({ context, event }) => {
      assertEvent(event, 'AMEND');
      return amendedFields(event.payload, context);
    }),
    recordCancellation: assign(({ event }) => {
      assertEvent(event, 'CANCEL');
      return { cancelledReason: event.payload.reason };
    }),
    recordComment: assign(({ context, event }) => {
      assertEvent(event, 'COMMENT');
      const answered = (context.openQuestions ?? [])
        .map((q) => ({ ...q, waitingFor: q.waitingFor.filter((unit) => unit !== event.actor.unit) }))
        .filter((q) => q.waitingFor.length > 0);
      const { ask } = event.payload;
      const asked = ask === undefined ? [] : [{ askedAt: event.at, askedBy: { role: event.actor.role, unit: event.actor.unit }, text: event.payload.text, waitingFor: ask }];
      const openQuestions = [...answered, ...asked];
      // Absent rather than empty while nothing was ever asked, so older tasks keep their context as stored.
      return context.openQuestions === undefined && openQuestions.length === 0 ? {} : { openQuestions };
    }),
    recordInstruction: assign(({ event }) => {
      assertEvent(event, 'INSTRUCT');
      const account = event.actor.account;
      return { lastInstruction: { text: event.payload.text, at: event.at, by: account === undefined ? null : { id: account.id, name: account.name } } };
    }),
    recordPartAcknowledged: assign(({ context, event }) => {
      assertEvent(event, 'ACKNOWLEDGE_PART');
      return { parts: withPart(context, event.actor.unit, (part) => ({ ...part, state: 'acknowledged', acknowledgedAt: event.at })) };
    }),
    recordPartProgress: assign(({ context, event }) => {
      assertEvent(event, 'PART_PROGRESS');
      const { summary, percent } = event.payload;
      return {
        parts: withPart(context, event.actor.unit, (part) => ({
          ...part,
          state: 'reporting',
          // Reporting progress is also taking the part on: a unit need not acknowledge first.
          acknowledgedAt: part.acknowledgedAt ?? event.at,
          progressReports: part.progressReports + 1,
          lastProgress: { summary, percent: percent ?? null, at: event.at, ...personOf(event.actor) },
          percent: percent ?? part.percent,
        })),
      };
    }),
    recordPartDone: assign(({ context, event }) => {
      assertEvent(event, 'PART_DONE');
      return {
        parts: withPart(context, event.actor.unit, (part) => ({
          ...part,
          state: 'done',
          acknowledgedAt: part.acknowledgedAt ?? event.at,
          percent: 100,
          done: { summary: event.payload.summary, at: event.at, ...personOf(event.actor) },
        })),
      };
    }),
    recordPartReturn: assign(({ context, event }) => {
      assertEvent(event, 'RETURN_PART');
      const { unit, reason } = event.payload;
      return {
        parts: withPart(context, unit, (part) => ({
          ...part,
          state: 'reporting',
          done: null,
          percent: part.lastProgress?.percent ?? null,
          lastReturn: { reason, at: event.at, by: event.actor.role === 'office' ? null : event.actor.unit },
        })),
      };
    }),
    recordWarning: assign({ warned: true }),
    recordOverdue: assign(({ context }) => ({
      warned: true,
      overdue: true,
      // The task became overdue at its deadline, however late the timer fired (at the import, when imported late).
      overdueSince: lateFrom(context),
    })),
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

/** The task's parts with the sender's part replaced by `change` of its record (a fresh one for its first part event). Pure. */
function withPart(context: ReformTaskContext, unit: string | null, change: (part: PartRecord) => PartRecord): Record<string, PartRecord> {
  if (unit === null) throw new Error('a part event without a unit (authorize admits only units with a part)');
  const fresh: PartRecord = { state: 'acknowledged', acknowledgedAt: null, progressReports: 0, lastProgress: null, percent: null, done: null };
  return { ...context.parts, [unit]: change(partRecord(context, unit) ?? fresh) };
}

function isDue(dueAt: number | null, at: number): boolean {
  return dueAt !== null && at >= dueAt;
}

/** The person an entry names, to keep beside a report; nothing when a service or a timer acted, so such tasks keep their context as before. Pure. */
function personOf(actor: Actor): { person?: { id: number; name: string } } {
  return actor.account === undefined ? {} : { person: { id: actor.account.id, name: actor.account.name } };
}
