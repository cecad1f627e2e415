import type { AuditEntry, Engine, InstanceRecord } from '@duban/engine';
import { replayLog } from '@duban/engine';
import type { CurrentPlan, PlanNow } from './current-plan.ts';
import type { ReportTask } from './report-task.ts';
import { reportTasks } from './report-task.ts';
import type { Instant } from '../time/report-time.ts';
import { instantMs } from '../time/report-time.ts';
import type { SupervisionEvent } from './supervision-events.ts';
import { SupervisionFold } from './supervision-events.ts';

/** What every report takes: the tasks as of an instant (in plan order), the supervision facts up to it, and the instant. */
export interface ReportInput {
  readonly tasks: ReportTask[];
  readonly events: SupervisionEvent[];
  /** Epoch ms. */
  readonly asOf: number;
}

/**
 * Reads the log once and rebuilds every task as it stood at `asOf` (entries at or before it), folding
 * the supervision facts from the same pass: the way to a report as of a past instant. A report as of
 * now reads `CurrentPlan` instead. Holds the tasks, never the log: each entry is replayed and folded as
 * it is read. Does IO (reads the whole audit log through the engine); everything after it is pure.
 */
export async function reportInputAt(engine: Engine, asOf: Instant): Promise<ReportInput> {
  const at = instantMs(asOf);
  const fold = new SupervisionFold();
  async function* foldedUpToAt(): AsyncGenerator<AuditEntry> {
    for await (const entry of engine.entries()) {
      if (Date.parse(entry.at) > at) continue;
      fold.add(entry);
      yield entry;
    }
  }
  const { instances } = await replayLog(engine.registry, foldedUpToAt(), at);
  return { tasks: reportTasks(instances), events: fold.events, asOf: at };
}

/**
 * The tasks and supervision facts as of `at`: from the read model when `at` is now and it answers
 * (see CurrentPlan.at), else from one replay of the log (`reportInputAt`). Does IO.
 */
export async function planAt(engine: Engine, currentPlan: CurrentPlan | undefined, at: Date, isNow: boolean): Promise<PlanNow> {
  return (isNow ? await currentPlan?.at(at.getTime()) : undefined) ?? reportInputAt(engine, at);
}

const INSTANCE_PAGE = 1000;

/** Every stored instance (narrowed by tags), page by page. Does IO. */
export async function allInstances(engine: Engine, query: { anyTags?: string[]; allTags?: string[] } = {}): Promise<InstanceRecord[]> {
  const all: InstanceRecord[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await engine.listInstances({ ...query, limit: INSTANCE_PAGE, ...(afterId === undefined ? {} : { afterId }) });
    all.push(...page);
    if (page.length < INSTANCE_PAGE) return all;
    afterId = page[page.length - 1]!.id;
  }
}

/**
 * The stored tasks in plan order, `size` at a time: the order and the ids from the read model as of
 * `at`, each piece read from the store when it is asked for, so the whole plan is never held. When the
 * read model cannot answer for `at` (a clock set back; see CurrentPlan.at), every stored task in one
 * piece. Does IO.
 */
export async function* storedTasksInPieces(engine: Engine, currentPlan: CurrentPlan | undefined, at: Date, size = 500): AsyncGenerator<ReportTask[]> {
  const plan = await currentPlan?.at(at.getTime());
  if (plan === undefined) {
    yield await planTasks(engine);
    return;
  }
  for (let start = 0; start < plan.tasks.length; start += size) {
    const ids = plan.tasks.slice(start, start + size).map((task) => task.id);
    yield reportTasks(await engine.getInstances(ids));
  }
}

/** The plan's tasks, in plan order, as stored now or as they stood at `asOf` (rebuilt from the log). Does IO. */
export async function planTasks(engine: Engine, asOf?: Date): Promise<ReportTask[]> {
  return reportTasks(asOf === undefined ? await allInstances(engine) : await engine.snapshotsAt(asOf));
}
