import { light, overdueDays, reformTaskStates, stateLabels } from '@duban/reform-task';
import type { Light, ReformTaskState } from '@duban/reform-task';
import type { TaskFacts } from './report-task.ts';
import { compareUnits } from './report-task.ts';
import type { Instant } from '../time/calendar.ts';
import { instantMs } from '../time/calendar.ts';
import type { SupervisionEvent, SupervisionKind } from './supervision-events.ts';

/** Counts of one group of tasks. `verified` is verified and not yet closed; `overdue` is past its limit now. */
export interface Tally {
  total: number;
  closed: number;
  verified: number;
  overdue: number;
  red: number;
  yellow: number;
  green: number;
}

/** A task past its limit in force. */
export interface OverdueTask {
  readonly id: string;
  readonly number: number;
  readonly text: string;
  readonly leadUnits: readonly string[];
  readonly responsibleUnits: readonly string[];
  /** The limit in force, `YYYY-MM-DD`. */
  readonly dueDate: string | null;
  readonly days: number;
  readonly state: string;
  readonly stateLabel: string;
}

/** Supervision activity in the log up to the instant (counts of entries). */
export interface Activity {
  urges: number;
  warnings: number;
  deadlinesPassed: number;
  rejections: number;
  interviewsStarted: number;
  interviewsHeld: number;
  referrals: number;
  commendations: number;
  extensionsApproved: number;
}

/** The office's overview of all tasks at one instant. */
export interface Summary {
  /** ISO instant the summary is as of. */
  readonly asOf: string;
  readonly total: number;
  readonly byState: Record<ReformTaskState, number>;
  readonly byLight: Record<Light, number>;
  /** By 所属部分, in plan order. */
  readonly byPart: ({ readonly part: string } & Tally)[];
  /** By lead unit (a task with two lead units counts for each), by name. */
  readonly byLeadUnit: ({ readonly unit: string } & Tally)[];
  /** Verified or closed over all tasks not cancelled. */
  readonly completion: { readonly done: number; readonly base: number; readonly rate: number; readonly percent: string };
  /** Tasks past their limit, most days overdue first (then by number). */
  readonly overdue: OverdueTask[];
  readonly activity: Activity;
}

/**
 * Summarizes the tasks as they stood at `asOf`: `tasks` must be the tasks as of that instant, in plan
 * order; `events` the supervision facts of these tasks (later ones are ignored). Pure.
 */
export function summarize(tasks: readonly TaskFacts[], events: readonly SupervisionEvent[], asOf: Instant): Summary {
  const now = instantMs(asOf);
  const list = tasks;
  const byState = Object.fromEntries(reformTaskStates.map((state) => [state, 0])) as Record<ReformTaskState, number>;
  const byLight: Record<Light, number> = { red: 0, yellow: 0, green: 0, none: 0 };
  const parts = new Map<string, Tally>();
  const leads = new Map<string, Tally>();
  const overdue: OverdueTask[] = [];
  for (const item of list) {
    const { snapshot, task } = item;
    const state = snapshot.value as ReformTaskState;
    const lit = light(snapshot);
    const days = overdueDays(snapshot, now);
    byState[state] += 1;
    byLight[lit] += 1;
    count(tallyOf(parts, task.part), state, lit, days);
    for (const unit of task.leadUnits) count(tallyOf(leads, unit), state, lit, days);
    if (days > 0) overdue.push(overdueTask(item, days));
  }
  const done = byState.verified + byState.closed;
  const base = list.length - byState.cancelled;
  const rate = base === 0 ? 0 : done / base;
  return {
    asOf: new Date(now).toISOString(),
    total: list.length,
    byState,
    byLight,
    byPart: [...parts].map(([part, tally]) => ({ part, ...tally })),
    byLeadUnit: [...leads].sort(([a], [b]) => compareUnits(a, b)).map(([unit, tally]) => ({ unit, ...tally })),
    completion: { done, base, rate, percent: formatPercent(rate) },
    overdue: overdue.sort((a, b) => b.days - a.days || a.number - b.number),
    activity: activity(events, now),
  };
}

/** 0.428571 -> `42.9%`. Pure. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function tallyOf(groups: Map<string, Tally>, key: string): Tally {
  let tally = groups.get(key);
  if (tally === undefined) {
    tally = { total: 0, closed: 0, verified: 0, overdue: 0, red: 0, yellow: 0, green: 0 };
    groups.set(key, tally);
  }
  return tally;
}

function count(tally: Tally, state: ReformTaskState, lit: Light, days: number): void {
  tally.total += 1;
  if (state === 'closed') tally.closed += 1;
  if (state === 'verified') tally.verified += 1;
  if (days > 0) tally.overdue += 1;
  if (lit !== 'none') tally[lit] += 1;
}

function overdueTask({ id, snapshot, task }: TaskFacts, days: number): OverdueTask {
  return {
    id,
    number: task.number,
    text: task.text,
    leadUnits: [...task.leadUnits],
    responsibleUnits: [...task.responsibleUnits],
    dueDate: task.dueDate,
    days,
    state: snapshot.value,
    stateLabel: stateLabels[snapshot.value as ReformTaskState] ?? snapshot.value,
  };
}

// Which supervision facts each activity count counts.
const activityOf: Readonly<Partial<Record<SupervisionKind, keyof Activity>>> = {
  urge: 'urges',
  warning: 'warnings',
  overdue: 'deadlinesPassed',
  rejected: 'rejections',
  interview: 'interviewsStarted',
  'interview-held': 'interviewsHeld',
  referral: 'referrals',
  commendation: 'commendations',
  'extension-approved': 'extensionsApproved',
};

function activity(events: readonly SupervisionEvent[], now: number): Activity {
  const counts: Activity = {
    urges: 0,
    warnings: 0,
    deadlinesPassed: 0,
    rejections: 0,
    interviewsStarted: 0,
    interviewsHeld: 0,
    referrals: 0,
    commendations: 0,
    extensionsApproved: 0,
  };
  for (const event of events) {
    const key = activityOf[event.kind];
    if (key !== undefined && event.at <= now) counts[key] += 1;
  }
  return counts;
}
