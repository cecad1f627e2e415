import type { Actor } from '@duban/engine';
import { amendedFields } from './amend-check.ts';
import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import { lateFrom } from './reform-task-schedule.ts';
import type { PartRecord } from './task-parts.ts';
import { partRecord } from './task-parts.ts';

/** What an action reads of its event: the payload, who sent it and when (epoch ms). */
export interface AssignedEvent<K extends ReformTaskEventType> {
  readonly payload: ReformTaskPayloads[K];
  readonly actor: Actor;
  readonly at: number;
}

/** What the action of an accepted `K` assigns to the context. Pure. */
export type ReformTaskAssign<K extends ReformTaskEventType> = (context: ReformTaskContext, event: AssignedEvent<K>) => Partial<ReformTaskContext>;

/**
 * The reform task's `assign` actions, one per event type, as pure functions of the context and the
 * event: the machine (reform-task-machine.ts) runs them on the events it accepts, and the fold
 * (reform-task-fold.ts) redoes them on the entries of the log, so both assign the same. Pure.
 */
export const reformTaskAssigns: { readonly [K in ReformTaskEventType]: ReformTaskAssign<K> } = {
  START: (_, { at }) => ({ startedAt: at }),
  PROGRESS: (_, { payload, actor, at }) => ({ lastProgress: { summary: payload.summary, percent: payload.percent ?? null, at, by: actor.unit, ...personOf(actor) } }),
  REPORT: (_, { payload, actor, at }) => ({
    reportedAt: at,
    lastReport: { summary: payload.summary, evidence: payload.evidence.map((e) => ({ title: e.title, ref: e.ref ?? null })), at, by: actor.unit, ...personOf(actor) },
  }),
  // `checks` only when given: verifications without them keep the context they always had.
  VERIFY: (_, { payload, at }) => ({ verifiedAt: at, lastVerification: { opinion: payload.opinion ?? null, at, ...(payload.checks === undefined ? {} : { checks: payload.checks }) } }),
  REJECT: (context, { payload, at }) => ({
    rejections: context.rejections + 1,
    rejectionsSinceInterview: context.rejectionsSinceInterview + 1,
    lastRejection: { reason: payload.reason, at, ...(payload.failed === undefined ? {} : { failed: payload.failed }) },
  }),
  CLOSE: (_, { payload, at }) => ({ closedAt: at, closeNote: payload.note ?? null, commended: payload.commend ?? false }),
  URGE: (context, { payload, at }) => ({ urges: context.urges + 1, lastUrge: { message: payload.message, at } }),
  ESCALATE: (_, { payload, actor }) => ({ escalatedBy: actor.role, escalationReason: payload.reason }),
  RECORD_INTERVIEW: (context, { payload, at }) => {
    const { heldOn, attendees, findings, rectifyBy } = payload;
    return {
      interviews: [...context.interviews, { heldOn, attendees, findings, rectifyBy, recordedAt: at }],
      // The rectification date becomes the limit in force; the task starts a fresh clock.
      dueDate: rectifyBy,
      deadlineAt: endOfDayShanghai(rectifyBy),
      warned: false,
      overdue: false,
      overdueSince: null,
      rejectionsSinceInterview: 0,
    };
  },
  REFER: (_, { payload, at }) => ({ referral: { reason: payload.reason, referredTo: payload.referredTo, at } }),
  REQUEST_EXTENSION: (_, { payload, actor, at }) => ({ pendingExtension: { until: payload.until, reason: payload.reason, requestedBy: actor.unit, requestedAt: at } }),
  DECIDE_EXTENSION: (context, { payload, at }) => {
    const note = payload.note ?? null;
    const pending = context.pendingExtension;
    if (pending === null) throw new Error(`DECIDE_EXTENSION at ${at} without a pending request (guard hasPendingExtension)`);
    if (!payload.approve) return { pendingExtension: null, lastExtensionDecision: { approve: false, until: null, note, at } };
    const until = payload.until ?? pending.until;
    return {
      pendingExtension: null,
      lastExtensionDecision: { approve: true, until, note, at },
      extensions: [...context.extensions, { from: context.dueDate, until, requested: pending.until, note, grantedAt: at }],
      dueDate: until,
      deadlineAt: endOfDayShanghai(until),
      warned: false,
      overdue: false,
      overdueSince: null,
    };
  },
  REASSIGN: (_, { payload }) => ({ leadUnits: payload.leadUnits }),
  AMEND: (context, { payload }) => amendedFields(payload, context),
  CANCEL: (_, { payload }) => ({ cancelledReason: payload.reason }),
  COMMENT: (context, { payload, actor, at }) => {
    const answered = (context.openQuestions ?? []).map((q) => ({ ...q, waitingFor: q.waitingFor.filter((unit) => unit !== actor.unit) })).filter((q) => q.waitingFor.length > 0);
    const asked = payload.ask === undefined ? [] : [{ askedAt: at, askedBy: { role: actor.role, unit: actor.unit }, text: payload.text, waitingFor: payload.ask }];
    const openQuestions = [...answered, ...asked];
    // Absent rather than empty while nothing was ever asked, so older tasks keep their context as stored.
    return context.openQuestions === undefined && openQuestions.length === 0 ? {} : { openQuestions };
  },
  INSTRUCT: (_, { payload, actor, at }) => {
    const account = actor.account;
    return { lastInstruction: { text: payload.text, at, by: account === undefined ? null : { id: account.id, name: account.name } } };
  },
  ACKNOWLEDGE_PART: (context, { actor, at }) => ({ parts: withPart(context, actor.unit, (part) => ({ ...part, state: 'acknowledged', acknowledgedAt: at })) }),
  PART_PROGRESS: (context, { payload, actor, at }) => ({
    parts: withPart(context, actor.unit, (part) => ({
      ...part,
      state: 'reporting',
      // Reporting progress is also taking the part on: a unit need not acknowledge first.
      acknowledgedAt: part.acknowledgedAt ?? at,
      progressReports: part.progressReports + 1,
      lastProgress: { summary: payload.summary, percent: payload.percent ?? null, at, ...personOf(actor) },
      percent: payload.percent ?? part.percent,
    })),
  }),
  PART_DONE: (context, { payload, actor, at }) => ({
    parts: withPart(context, actor.unit, (part) => ({
      ...part,
      state: 'done',
      acknowledgedAt: part.acknowledgedAt ?? at,
      percent: 100,
      done: { summary: payload.summary, at, ...personOf(actor) },
    })),
  }),
  // Which part is the payload's (checked against the parts before the machine: part-checks.ts).
  RETURN_PART: (context, { payload, actor, at }) => ({
    parts: withPart(context, payload.unit, (part) => ({
      ...part,
      state: 'reporting',
      done: null,
      percent: part.lastProgress?.percent ?? null,
      lastReturn: { reason: payload.reason, at, by: actor.role === 'office' ? null : actor.unit },
    })),
  }),
  WARN: () => ({ warned: true }),
  // The task became overdue at its deadline, however late the timer fired (at the import, when imported late).
  DEADLINE_PASSED: (context) => ({ warned: true, overdue: true, overdueSince: lateFrom(context) }),
};

/** The task's parts with `unit`'s part replaced by `change` of its record (a fresh one for its first part event). Pure. */
function withPart(context: ReformTaskContext, unit: string | null, change: (part: PartRecord) => PartRecord): Record<string, PartRecord> {
  if (unit === null) throw new Error('a part event without a unit (authorize admits only units with a part)');
  const fresh: PartRecord = { state: 'acknowledged', acknowledgedAt: null, progressReports: 0, lastProgress: null, percent: null, done: null };
  return { ...context.parts, [unit]: change(partRecord(context, unit) ?? fresh) };
}

/** The person an entry names, to keep beside a report; nothing when a service or a timer acted, so such tasks keep their context as before. Pure. */
function personOf(actor: Actor): { person?: { id: number; name: string } } {
  return actor.account === undefined ? {} : { person: { id: actor.account.id, name: actor.account.name } };
}
