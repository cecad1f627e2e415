import type { StoredSnapshot } from '@duban/engine';
import type { LightFacts, ReformTaskContext, ReformTaskSnapshot } from '@duban/reform-task';

/**
 * A task instance as reports read it: an entry of `engine.snapshotsAt(asOf)` (`instanceId`) or a
 * stored `InstanceRecord` (`id`). Instances of other workflows are ignored when `workflowId` says so.
 */
export type ReportTaskSource =
  | { readonly instanceId: string; readonly workflowId?: string; readonly version: number; readonly snapshot: StoredSnapshot }
  | { readonly id: string; readonly workflowId?: string; readonly version: number; readonly snapshot: StoredSnapshot; readonly createdAt?: string; readonly updatedAt?: string };

/** The tasks of a report: a list, or the Map `engine.snapshotsAt` returns. */
export type ReportTasks = Iterable<ReportTaskSource> | ReadonlyMap<string, ReportTaskSource>;

/** A reform task ready for reporting. */
export interface ReportTask {
  readonly id: string;
  /** The task's version: how many audit entries it has. */
  readonly version: number;
  readonly snapshot: ReformTaskSnapshot;
  readonly task: ReformTaskContext;
  /** When the task was assigned and last changed (epoch ms): its first and latest entry; null when the source does not say (`engine.snapshotsAt`). */
  readonly assignedAt: number | null;
  readonly changedAt: number | null;
}

/** The fields of a task the summary, the assessment, the circular and the task tables read. */
const factFields = [
  'planId', 'number', 'part', 'text', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline',
  'dueDate', 'deadlineAt', 'warned', 'overdue', 'rejections', 'reportedAt', 'verifiedAt', 'graceFrom', 'pendingExtension', 'openQuestions',
  // The circular names who reported a completed task.
  'lastReport',
  // The assessment charges a supporting unit for its own part only; the ledger sums the parts up.
  'parts',
] as const satisfies readonly (keyof ReformTaskContext)[];

/** The context fields of `TaskFacts`. */
export const factFieldNames: readonly (keyof ReformTaskContext)[] = factFields;

export type TaskFactsContext = Pick<ReformTaskContext, (typeof factFields)[number]>;

/**
 * What the summary, the assessment and the circular read of a task: its plan fields and what its
 * light and overdue days follow from. A `ReportTask` is one; `taskFacts` keeps only these fields,
 * so that the whole plan can be held in memory (see CurrentPlan).
 */
export interface TaskFacts {
  readonly id: string;
  readonly version: number;
  readonly snapshot: LightFacts & { readonly context: TaskFactsContext };
  readonly task: TaskFactsContext;
  /** Epoch ms of the task's first entry (its assignment) and its latest; null when its source did not say. */
  readonly assignedAt: number | null;
  readonly changedAt: number | null;
}

/** `task` with only the fields its reports read. Pure. */
export function taskFacts({ id, version, snapshot, assignedAt, changedAt }: ReportTask): TaskFacts {
  const context = Object.fromEntries(factFields.map((field) => [field, snapshot.context[field]])) as TaskFactsContext;
  return { id, version, snapshot: { value: snapshot.value, status: snapshot.status, context }, task: context, assignedAt, changedAt };
}

/** Plan order: plan id, then task number, then id. Pure. */
export function comparePlanOrder(a: TaskFacts, b: TaskFacts): number {
  return compareText(a.task.planId, b.task.planId) || a.task.number - b.task.number || compareText(a.id, b.id);
}

/** The task of `tasks` (in plan order) at `place` — its plan, number and id — by binary search; undefined when none is there. Pure. */
export function findInPlanOrder<T extends TaskFacts>(tasks: readonly T[], place: { readonly id: string; readonly planId: string; readonly number: number }): T | undefined {
  let low = 0;
  let high = tasks.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const { id, task } = tasks[middle]!;
    const order = compareText(task.planId, place.planId) || task.number - place.number || compareText(id, place.id);
    if (order === 0) return tasks[middle];
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

const REFORM_TASK = 'reform-task';

/** The reform tasks among `tasks`, in plan order (plan id, then task number, then id). Pure. */
export function reportTasks(tasks: ReportTasks): ReportTask[] {
  const sources = isMap(tasks) ? [...tasks.values()] : [...tasks];
  return sources
    .filter((source) => source.workflowId === undefined || source.workflowId === REFORM_TASK)
    .map((source) => {
      const snapshot = source.snapshot as ReformTaskSnapshot;
      if ('instanceId' in source) return { id: source.instanceId, version: source.version, snapshot, task: snapshot.context, assignedAt: null, changedAt: null };
      const times = { assignedAt: epochOrNull(source.createdAt), changedAt: epochOrNull(source.updatedAt) };
      return { id: source.id, version: source.version, snapshot, task: snapshot.context, ...times };
    })
    .sort(comparePlanOrder);
}

function epochOrNull(at: string | undefined): number | null {
  return at === undefined ? null : Date.parse(at);
}

function isMap(tasks: ReportTasks): tasks is ReadonlyMap<string, ReportTaskSource> {
  return typeof (tasks as ReadonlyMap<string, ReportTaskSource>).get === 'function' && !Array.isArray(tasks);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const unitCollator = new Intl.Collator('zh-Hans-CN');

/** Orders unit names as Chinese readers expect (by pinyin). Pure. */
export function compareUnits(a: string, b: string): number {
  return unitCollator.compare(a, b) || compareText(a, b);
}
