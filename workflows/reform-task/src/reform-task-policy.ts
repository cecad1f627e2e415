import type { Actor, StoredSnapshot, TimerSpec } from '@duban/engine';
import { DAY_MS } from './calendar-date.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import { reformTaskEventTypes } from './reform-task-events.ts';
import type { ReformTaskEventType } from './reform-task-events.ts';
import { timedStates } from './reform-task-states.ts';
import type { ReformTaskState } from './reform-task-states.ts';
import { deadlineDueAt, escalationDue, lateFrom, warningDueAt } from './reform-task-schedule.ts';
import { isLeadActor, isPartyActor, partyUnits } from './task-parties.ts';
import { isPartHolder } from './task-parts.ts';
import type { PartState } from './task-parts.ts';

/** A stored reform-task snapshot. */
export type ReformTaskSnapshot = StoredSnapshot<ReformTaskContext>;

/** What a task's light and overdue days are read from: its state and a few fields of its context. */
export type LightFacts = Pick<ReformTaskSnapshot, 'value' | 'status'> & {
  readonly context: Pick<ReformTaskContext, 'deadlineAt' | 'overdue' | 'warned' | 'rejections' | 'reportedAt' | 'graceFrom'>;
};

/** 红黄绿灯; `none` for a cancelled task. */
export type Light = 'green' | 'yellow' | 'red' | 'none';

/**
 * Who may ever send each event: the one place this is written. The machine (reform-task-machine.ts) holds
 * the state rules only, when an event is accepted; the engine asks `authorize` before the machine.
 */
export const eventSenders: Readonly<Record<ReformTaskEventType, readonly ('lead' | 'party' | 'part' | 'office' | 'admin' | 'leader' | 'system')[]>> = {
  START: ['lead'],
  PROGRESS: ['party'],
  REPORT: ['lead'],
  VERIFY: ['office'],
  REJECT: ['office'],
  CLOSE: ['office'],
  URGE: ['office'],
  ESCALATE: ['office', 'system'],
  RECORD_INTERVIEW: ['office'],
  REFER: ['office'],
  REQUEST_EXTENSION: ['lead'],
  DECIDE_EXTENSION: ['office'],
  REASSIGN: ['office'],
  // The admin too: a plan's amendments (修订) are the office's or the admin's, as its import is.
  CANCEL: ['office', 'admin'],
  AMEND: ['office', 'admin'],
  COMMENT: ['office', 'party'],
  INSTRUCT: ['leader'],
  ACKNOWLEDGE_PART: ['part'],
  PART_PROGRESS: ['part'],
  PART_DONE: ['part'],
  RETURN_PART: ['lead', 'office'],
  WARN: ['system'],
  DEADLINE_PASSED: ['system'],
};

/** Events only the system (timers) sends: those whose one sender is the system in `eventSenders`. */
export const systemOnlyEvents: ReadonlySet<ReformTaskEventType> = new Set(
  reformTaskEventTypes.filter((type) => eventSenders[type].every((sender) => sender === 'system')),
);

/** Role rules: may this actor ever send this event type to this task? Pure. */
export function authorize(actor: Actor, type: string, snapshot: ReformTaskSnapshot): boolean {
  if (!Object.hasOwn(eventSenders, type)) return false;
  return eventSenders[type as ReformTaskEventType].some((sender) => {
    switch (sender) {
      case 'office':
      case 'admin':
      case 'system':
        return actor.role === sender;
      case 'leader':
        // A 批示 names the leader who wrote it: only a person's account, never a service token.
        return actor.role === 'leader' && actor.account !== undefined;
      case 'lead':
        return isLeadActor(snapshot.context, actor);
      case 'party':
        return isPartyActor(snapshot.context, actor);
      case 'part':
        // A unit acts on its own part only: the part is the sender's unit, so no payload names another's.
        return isPartHolder(snapshot.context, actor);
    }
  });
}

/** Office, leaders, reviewers, admins and the system see every task; a unit sees the tasks it is a party to. Pure. */
export function visibleTo(actor: Actor, snapshot: { readonly context: Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'> }): boolean {
  if (actor.role === 'unit') return isPartyActor(snapshot.context, actor);
  return ['office', 'leader', 'reviewer', 'admin', 'system'].includes(actor.role);
}

/**
 * The timers a task needs now: WARN at the start of the warning window, DEADLINE_PASSED at the
 * deadline, automatic ESCALATE after `escalateAfterDays` unreported or at the `maxRejections`-th
 * rejection. Only in assigned/in_progress; a timer whose condition no longer holds is absent. Pure.
 */
export function timers(snapshot: ReformTaskSnapshot): TimerSpec[] {
  if (!isTimed(snapshot)) return [];
  const task = snapshot.context;
  const armed: TimerSpec[] = [];
  const warnAt = warningDueAt(task);
  if (warnAt !== null) armed.push({ key: 'WARN', dueAt: warnAt, event: { type: 'WARN', payload: {} } });
  const overdueAt = deadlineDueAt(task);
  if (overdueAt !== null) armed.push({ key: 'DEADLINE_PASSED', dueAt: overdueAt, event: { type: 'DEADLINE_PASSED', payload: {} } });
  const escalation = escalationDue(task);
  if (escalation !== null) {
    armed.push({ key: 'ESCALATE', dueAt: escalation.dueAt, event: { type: 'ESCALATE', payload: { reason: escalation.reason } } });
  }
  return armed;
}

/** Is the task overdue now? A task reported late stays overdue until verified; done tasks are not. Pure. */
export function isOverdue(snapshot: LightFacts): boolean {
  return snapshot.context.overdue && ['assigned', 'in_progress', 'reported', 'interview'].includes(snapshot.value);
}

/**
 * Calendar days (Asia/Shanghai) the task is past its limit in force at `now`: 1 on the first day
 * after the deadline (after the import, for a task imported late: `lateFrom`). A reported task stops
 * counting when it reported; a done task counts 0. Pure.
 */
export function overdueDays(snapshot: LightFacts, now: number): number {
  const task = snapshot.context;
  if (task.deadlineAt === null) return 0;
  // The clock may run ahead of the DEADLINE_PASSED timer; unreported tasks count from the deadline anyway.
  const late = isOverdue(snapshot) || (isTimed(snapshot) && now >= task.deadlineAt);
  if (!late) return 0;
  const until = snapshot.value === 'reported' && task.reportedAt !== null ? task.reportedAt : now;
  const from = lateFrom(task)!;
  return until < from ? 0 : Math.floor((until - from) / DAY_MS) + 1;
}

/**
 * 红黄绿灯: red when overdue, in interview or referred for accountability; yellow inside the warning
 * window or while reworking a rejected report; green otherwise; none once cancelled. Pure.
 */
export function light(snapshot: LightFacts): Light {
  const state = snapshot.value as ReformTaskState;
  const task = snapshot.context;
  switch (state) {
    case 'cancelled':
      return 'none';
    case 'interview':
    case 'accountability':
      return 'red';
    case 'verified':
    case 'closed':
      return 'green';
    case 'reported':
      return isOverdue(snapshot) ? 'red' : 'green';
    case 'assigned':
    case 'in_progress':
      if (isOverdue(snapshot)) return 'red';
      if (task.warned || (state === 'in_progress' && task.rejections > 0)) return 'yellow';
      return 'green';
  }
}

/**
 * 红黄绿灯 of one unit's part: green once the part is done or the task verified or closed; otherwise
 * the task's own light (a part not done shares its task's urgency); none once the task is cancelled. Pure.
 */
export function partLight(snapshot: LightFacts, part: { readonly state: PartState }): Light {
  const lit = light(snapshot);
  if (lit === 'none') return 'none';
  return part.state === 'done' ? 'green' : lit;
}

/**
 * Index terms for listing: `state:`, `light:`, `plan:`, `lead:` per lead unit and `party:` per lead
 * or responsible unit and per member of a collective among them. Pure.
 */
export function tags(snapshot: ReformTaskSnapshot): string[] {
  const task = snapshot.context;
  return [
    `state:${snapshot.value}`,
    `light:${light(snapshot)}`,
    `plan:${task.planId}`,
    ...task.leadUnits.map((unit) => `lead:${unit}`),
    ...partyUnits(task).map((unit) => `party:${unit}`),
  ];
}

function isTimed(snapshot: Pick<ReformTaskSnapshot, 'value' | 'status'>): boolean {
  return snapshot.status === 'active' && (timedStates as readonly string[]).includes(snapshot.value);
}
