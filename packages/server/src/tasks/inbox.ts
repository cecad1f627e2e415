import type { Actor } from '@duban/engine';
import { overdueDays, visibleTo } from '@duban/reform-task';
import type { ReportingCycles } from '../cycles/reporting-cycles.ts';
import type { PlanReader, TaskFacts } from '../reports/index.ts';

/** What waits for the office: the kinds of its 待办. */
export const inboxKinds = ['toVerify', 'extensions', 'unsigned', 'overdue', 'openQuestions'] as const;
export type InboxKind = (typeof inboxKinds)[number];

/** How many tasks of each kind wait; `unreported`: how many parts (a task's unit) have not reported in their plan's running cycle. */
export type InboxCounts = Record<InboxKind, number> & { readonly unreported: number };

/** One waiting task under one kind; `since` is when it began to wait (epoch ms), oldest first. */
export interface InboxItem {
  readonly kind: InboxKind;
  readonly task: TaskFacts;
  readonly since: number | null;
}

/** Days after assignment a task not yet signed for (START) starts to wait in the inbox, unless asked otherwise. */
export const DEFAULT_UNSIGNED_DAYS = 3;
const DAY_MS = 86_400_000;

/**
 * The kinds a task waits under at `at` (epoch ms), each with when it began to wait: a report to verify
 * (state reported), an extension request to decide, a task not signed `unsignedDays` after its
 * assignment, a task past its limit in force, a question put to units still unanswered. Pure.
 */
export function waitingKinds(task: TaskFacts, at: number, unsignedDays: number): { kind: InboxKind; since: number | null }[] {
  const { snapshot, task: context } = task;
  const kinds: { kind: InboxKind; since: number | null }[] = [];
  if (snapshot.value === 'reported') kinds.push({ kind: 'toVerify', since: context.reportedAt });
  if (context.pendingExtension !== null) kinds.push({ kind: 'extensions', since: context.pendingExtension.requestedAt });
  if (snapshot.value === 'assigned' && task.assignedAt !== null && at - task.assignedAt >= unsignedDays * DAY_MS) kinds.push({ kind: 'unsigned', since: task.assignedAt });
  if (overdueDays(snapshot, at) > 0) kinds.push({ kind: 'overdue', since: context.deadlineAt });
  const questions = context.openQuestions ?? [];
  if (questions.length > 0) kinds.push({ kind: 'openQuestions', since: Math.min(...questions.map((q) => q.askedAt)) });
  return kinds;
}

/** What the inbox holds at one instant: the counts, and per kind its tasks oldest first. */
export interface InboxContents {
  readonly counts: InboxCounts;
  readonly byKind: Readonly<Record<InboxKind, readonly InboxItem[]>>;
}

/** The inbox of `tasks` as `actor` sees it at `at`, with `unreported` parts (counted by the reporting cycles). Pure. */
export function inboxOf(tasks: readonly TaskFacts[], actor: Actor, at: number, unsignedDays: number, unreported = 0): InboxContents {
  const byKind = Object.fromEntries(inboxKinds.map((kind) => [kind, [] as InboxItem[]])) as Record<InboxKind, InboxItem[]>;
  for (const task of tasks) {
    if (!visibleTo(actor, task.snapshot)) continue;
    for (const { kind, since } of waitingKinds(task, at, unsignedDays)) byKind[kind].push({ kind, task, since });
  }
  for (const items of Object.values(byKind)) items.sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity));
  const counts = { ...(Object.fromEntries(inboxKinds.map((kind) => [kind, byKind[kind].length])) as Record<InboxKind, number>), unreported };
  return { counts, byKind };
}

/** A minute: counts that depend on the time (unsigned, overdue) are recomputed at most this often for unchanged tasks. */
const MINUTE_MS = 60_000;

/**
 * The office's 待办 as of now, from the report read model (`PlanReader.facts`): worked out once per
 * change of the tasks and per minute (per `unsignedDays` and actor), not per page view, so every page's
 * navigation can show the counts. Does IO (the read model catches up with the log).
 */
export class Inbox {
  private cached: { tasks: readonly TaskFacts[]; minute: number; key: string; contents: InboxContents } | undefined;

  constructor(
    private readonly plans: PlanReader,
    private readonly cycles: ReportingCycles,
  ) {}

  async read(now: Date, actor: Actor, unsignedDays = DEFAULT_UNSIGNED_DAYS): Promise<InboxContents> {
    const { tasks } = await this.plans.facts({ at: now, now: true });
    return this.of(tasks, now, actor, unsignedDays);
  }

  /**
   * The counts for the navigation, from the read model only: undefined when it cannot answer for now
   * (the log holds entries stamped later: a clock set back), rather than replaying the log on a page view.
   */
  async counts(now: Date, actor: Actor): Promise<InboxCounts | undefined> {
    const plan = await this.plans.current.at(now.getTime());
    return plan === undefined ? undefined : (await this.of(plan.tasks, now, actor, DEFAULT_UNSIGNED_DAYS)).counts;
  }

  private async of(tasks: readonly TaskFacts[], now: Date, actor: Actor, unsignedDays: number): Promise<InboxContents> {
    const minute = Math.floor(now.getTime() / MINUTE_MS);
    // The cycles' changes on this server count too (another server's show within the minute).
    const key = `${actor.role}:${actor.unit ?? ''}:${unsignedDays}:${this.cycles.changes}`;
    const cached = this.cached;
    if (cached !== undefined && cached.tasks === tasks && cached.minute === minute && cached.key === key) return cached.contents;
    const visible = tasks.filter((task) => visibleTo(actor, task.snapshot));
    const unreported = await this.cycles.unreportedCount(visible, new Date(minute * MINUTE_MS));
    const contents = inboxOf(tasks, actor, minute * MINUTE_MS, unsignedDays, unreported);
    this.cached = { tasks, minute, key, contents };
    return contents;
  }
}
