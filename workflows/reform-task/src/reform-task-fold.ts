import type { Actor } from '@duban/engine';
import { amendedFields } from './amend-check.ts';
import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import { initialContext } from './reform-task-context.ts';
import type { ReformTaskInput } from './reform-task-input.ts';
import { lateFrom } from './reform-task-schedule.ts';
import { partRecord } from './task-parts.ts';
import type { PartRecord } from './task-parts.ts';

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
 * are transitions the machine accepted, so only its `assign` actions (reform-task-machine.ts) are
 * redone here, on the stored payload. `task` is undefined for the creating entry. Reading a past
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

/** What the machine's action for `entry` assigns. */
function assigned(context: ReformTaskContext, entry: FoldableEntry): Partial<ReformTaskContext> {
  const at = entry.at;
  const payload = (entry.payload ?? {}) as Record<string, any>;
  const actor = entry.actor;
  switch (entry.type) {
    case 'START':
      return { startedAt: at };
    case 'PROGRESS':
      return { lastProgress: { summary: payload.summary, percent: payload.percent ?? null, at, by: unitOf(actor), ...personOf(actor) } };
    case 'REPORT':
      return {
        reportedAt: at,
        lastReport: {
          summary: payload.summary,
          evidence: (payload.evidence as { title: string; ref?: string }[]).map((e) => ({ title: e.title, ref: e.ref ?? null })),
          at,
          by: unitOf(actor),
          ...personOf(actor),
        },
      };
    case 'VERIFY':
      return { verifiedAt: at, lastVerification: { opinion: payload.opinion ?? null, at, ...(payload.checks === undefined ? {} : { checks: payload.checks }) } };
    case 'REJECT':
      return {
        rejections: context.rejections + 1,
        rejectionsSinceInterview: context.rejectionsSinceInterview + 1,
        lastRejection: { reason: payload.reason, at, ...(payload.failed === undefined ? {} : { failed: payload.failed }) },
      };
    case 'CLOSE':
      return { closedAt: at, closeNote: payload.note ?? null, commended: payload.commend ?? false };
    case 'URGE':
      return { urges: context.urges + 1, lastUrge: { message: payload.message, at } };
    case 'ESCALATE':
      return { escalatedBy: actorOf(actor).role, escalationReason: payload.reason };
    case 'RECORD_INTERVIEW': {
      const { heldOn, attendees, findings, rectifyBy } = payload;
      return {
        interviews: [...context.interviews, { heldOn, attendees, findings, rectifyBy, recordedAt: at }],
        dueDate: rectifyBy,
        deadlineAt: endOfDayShanghai(rectifyBy),
        warned: false,
        overdue: false,
        overdueSince: null,
        rejectionsSinceInterview: 0,
      };
    }
    case 'REFER':
      return { referral: { reason: payload.reason, referredTo: payload.referredTo, at } };
    case 'REQUEST_EXTENSION':
      return { pendingExtension: { until: payload.until, reason: payload.reason, requestedBy: unitOf(actor), requestedAt: at } };
    case 'DECIDE_EXTENSION': {
      const note = payload.note ?? null;
      const pending = context.pendingExtension;
      if (pending === null) throw new Error(`DECIDE_EXTENSION at ${at} without a pending request`);
      if (!payload.approve) return { pendingExtension: null, lastExtensionDecision: { approve: false, until: null, note, at } };
      const until: string = payload.until ?? pending.until;
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
    }
    case 'REASSIGN':
      return { leadUnits: payload.leadUnits };
    case 'AMEND':
      return amendedFields(payload as Parameters<typeof amendedFields>[0], context);
    case 'CANCEL':
      return { cancelledReason: payload.reason };
    case 'COMMENT': {
      const unit = unitOf(actor);
      const answered = (context.openQuestions ?? []).map((q) => ({ ...q, waitingFor: q.waitingFor.filter((u) => u !== unit) })).filter((q) => q.waitingFor.length > 0);
      const asked = payload.ask === undefined ? [] : [{ askedAt: at, askedBy: { role: actorOf(actor).role, unit }, text: payload.text, waitingFor: payload.ask }];
      const openQuestions = [...answered, ...asked];
      return context.openQuestions === undefined && openQuestions.length === 0 ? {} : { openQuestions };
    }
    case 'INSTRUCT': {
      const account = actorOf(actor).account;
      return { lastInstruction: { text: payload.text, at, by: account === undefined ? null : { id: account.id, name: account.name } } };
    }
    case 'ACKNOWLEDGE_PART':
      return { parts: withPart(context, unitOf(actor), (part) => ({ ...part, state: 'acknowledged', acknowledgedAt: at })) };
    case 'PART_PROGRESS':
      return {
        parts: withPart(context, unitOf(actor), (part) => ({
          ...part,
          state: 'reporting',
          acknowledgedAt: part.acknowledgedAt ?? at,
          progressReports: part.progressReports + 1,
          lastProgress: { summary: payload.summary, percent: payload.percent ?? null, at, ...personOf(actor) },
          percent: payload.percent ?? part.percent,
        })),
      };
    case 'PART_DONE':
      return {
        parts: withPart(context, unitOf(actor), (part) => ({
          ...part,
          state: 'done',
          acknowledgedAt: part.acknowledgedAt ?? at,
          percent: 100,
          done: { summary: payload.summary, at, ...personOf(actor) },
        })),
      };
    case 'RETURN_PART': {
      const returnedBy = actorOf(actor);
      return {
        parts: withPart(context, payload.unit, (part) => ({
          ...part,
          state: 'reporting',
          done: null,
          percent: part.lastProgress?.percent ?? null,
          lastReturn: { reason: payload.reason, at, by: returnedBy.role === 'office' ? null : returnedBy.unit },
        })),
      };
    }
    case 'WARN':
      return { warned: true };
    case 'DEADLINE_PASSED':
      return { warned: true, overdue: true, overdueSince: lateFrom(context) };
    default:
      throw new Error(`foldReformTask: no action for entry type ${entry.type}`);
  }
}

/** Types whose action reads the actor: a lean reader must give it for these. */
export const foldActorTypes: readonly string[] = [
  'PROGRESS', 'REPORT', 'ESCALATE', 'REQUEST_EXTENSION', 'COMMENT', 'INSTRUCT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE', 'RETURN_PART',
];

function actorOf(actor: Actor | null): Actor {
  if (actor === null) throw new Error('foldReformTask: an entry of a type in foldActorTypes came without its actor');
  return actor;
}

function unitOf(actor: Actor | null): string | null {
  return actorOf(actor).unit;
}

function withPart(context: ReformTaskContext, unit: string | null, change: (part: PartRecord) => PartRecord): Record<string, PartRecord> {
  if (unit === null) throw new Error('foldReformTask: a part event without a unit');
  const fresh: PartRecord = { state: 'acknowledged', acknowledgedAt: null, progressReports: 0, lastProgress: null, percent: null, done: null };
  return { ...context.parts, [unit]: change(partRecord(context, unit) ?? fresh) };
}

function personOf(actor: Actor | null): { person?: { id: number; name: string } } {
  const account = actorOf(actor).account;
  return account === undefined ? {} : { person: { id: account.id, name: account.name } };
}
