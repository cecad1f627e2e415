import type { AuditEntry, Engine, InstanceRecord } from '@duban/engine';
import type { AsOf } from '../time/as-of.ts';
import type { CurrentPlan, PlanFacts } from './current-plan.ts';
import type { ReportTask } from './report-task.ts';
import { reportTasks } from './report-task.ts';
import { PastPlan } from './past/past-plan.ts';
import type { PlanHistory } from './past/plan-history.ts';
import { SupervisionFold } from './supervision-events.ts';

const INSTANCE_PAGE = 1000;

/** The plan as of a past instant: whole tasks (every field of their context), rebuilt from the log. */
export interface ReplayedFacts extends PlanFacts {
  readonly tasks: ReportTask[];
}

/**
 * The one reader of the plan as of now and as of an instant, for the API, the pages and the CLI.
 * As of now it reads the report read model (`CurrentPlan`, kept current from the log's tail) and the
 * stored tasks. As of a past instant it reads the plan's history (`PlanHistory`: each task's version
 * at the instant, one indexed read, the supervision facts from the read model) when it has one and
 * the log's tasks follow time; otherwise it folds the log once without the state machine (`PastPlan`).
 * When the read model cannot answer for now (the log holds entries stamped later: a clock set back),
 * it reads as of a past instant. `replay` (XState over the whole log) stays the reference the tests
 * hold both against. Does IO.
 */
export class PlanReader {
  constructor(
    private readonly engine: Engine,
    /** The read model behind every view as of now. */
    readonly current: CurrentPlan,
    /** Threads `replay` runs its tasks on (1: the calling thread). */
    private readonly replayWorkers = 1,
    /** The plan's derived history; without it (tests of the fold alone) past views fold the log. */
    private readonly history?: PlanHistory,
  ) {
    this.past = new PastPlan(engine);
  }

  /** The plan as of a past instant, folded from the log without the state machine. */
  private readonly past: PastPlan;

  /** The tasks' facts and the supervision facts as of `asOf`: what the summary, the assessment, the circular, the dashboard and the task lists read. */
  async facts(asOf: AsOf): Promise<PlanFacts> {
    return (asOf.now ? await this.current.at(asOf.at.getTime()) : undefined) ?? this.pastFacts(asOf.at.getTime());
  }

  /** Whole tasks (every field of their context) in plan order as of `asOf`, optionally only those in `state`. */
  async tasks(asOf: AsOf, filter: { readonly state?: string } = {}): Promise<ReportTask[]> {
    const tasks = asOf.now
      ? reportTasks(await this.stored(filter.state === undefined ? {} : { allTags: [`state:${filter.state}`] }))
      : await this.pastTasks(asOf.at.getTime());
    return filter.state === undefined ? tasks : tasks.filter((task) => task.snapshot.value === filter.state);
  }

  /**
   * Whole tasks in plan order as of `asOf`, `size` at a time (the ledger's rows). As of now the order
   * and the ids come from the read model and each piece is read from the store when it is asked for,
   * so the whole plan is never held; as of a past instant the same from the plan's history (or, when
   * it cannot answer, one fold of the log in one piece).
   */
  async *pieces(asOf: AsOf, size = 500): AsyncGenerator<ReportTask[]> {
    if (!asOf.now && this.history !== undefined && (await this.history.catchUp())) {
      // As of a past instant from the history: the order from the tasks' facts, each piece read whole when it is asked for.
      const at = asOf.at.getTime();
      const order = await this.history.facts(at);
      for (let start = 0; start < order.length; start += size) yield await this.history.tasksOf(at, order.slice(start, start + size).map((task) => task.id));
      return;
    }
    const plan = asOf.now ? await this.current.at(asOf.at.getTime()) : undefined;
    if (plan === undefined) {
      // As of now with a read model that cannot answer (a clock set back): the stored tasks.
      yield await this.tasks(asOf);
      return;
    }
    for (let start = 0; start < plan.tasks.length; start += size) {
      const ids = plan.tasks.slice(start, start + size).map((task) => task.id);
      yield reportTasks(await this.engine.getInstances(ids));
    }
  }

  /**
   * Folds the log's tail into the plan's history (the whole log the first time: minutes at 2,000,000
   * entries), so that the next past view finds little to fold; `onProgress` hears the seq each page reached.
   */
  async catchUpHistory(onProgress?: (seq: number) => void): Promise<void> {
    const history = this.history;
    if (history === undefined) return;
    if (onProgress === undefined) {
      await history.catchUp();
      return;
    }
    history.onProgress = onProgress;
    try {
      await history.catchUp();
    } finally {
      if (history.onProgress === onProgress) history.onProgress = undefined;
    }
  }

  /** The facts as of a past instant `at` (epoch ms): from the history when it can answer, else folded from the log. */
  private async pastFacts(at: number): Promise<PlanFacts> {
    if (this.history !== undefined && (await this.history.catchUp())) {
      const [tasks, events] = [await this.history.facts(at), await this.current.eventsUpTo(at)];
      return { tasks, events, asOf: at };
    }
    return this.past.facts(at);
  }

  /** Whole tasks in plan order as of a past instant `at` (epoch ms). */
  private async pastTasks(at: number): Promise<ReportTask[]> {
    if (this.history !== undefined && (await this.history.catchUp())) return this.history.tasks(at);
    return this.past.tasks(at);
  }

  /** One read of the log: every task rebuilt whole as it stood at `at` (epoch ms), the supervision facts folded from the same pass. */
  async replay(at: number): Promise<ReplayedFacts> {
    const fold = new SupervisionFold();
    const engine = this.engine;
    // Each task's first and latest entry: when it was assigned and last changed, as the stored record says.
    const times = new Map<string, { assignedAt: number; changedAt: number }>();
    async function* foldedUpToAt(): AsyncGenerator<AuditEntry> {
      for await (const entry of engine.entries()) {
        const entryAt = Date.parse(entry.at);
        if (entryAt > at) continue;
        fold.add(entry);
        const seen = times.get(entry.instanceId);
        if (seen === undefined) times.set(entry.instanceId, { assignedAt: entryAt, changedAt: entryAt });
        else seen.changedAt = entryAt;
        yield entry;
      }
    }
    const { instances } = await engine.log.rebuild(foldedUpToAt(), at, this.replayWorkers);
    const tasks = reportTasks(instances).map((task) => ({ ...task, ...times.get(task.id) }));
    return { tasks, events: fold.events, asOf: at };
  }

  /** Every stored instance (narrowed by tags), page by page. */
  private async stored(query: { allTags?: string[] }): Promise<InstanceRecord[]> {
    const all: InstanceRecord[] = [];
    for (let afterId: string | undefined; ; ) {
      const page = await this.engine.listInstances({ ...query, limit: INSTANCE_PAGE, ...(afterId === undefined ? {} : { afterId }) });
      all.push(...page);
      if (page.length < INSTANCE_PAGE) return all;
      afterId = page[page.length - 1]!.id;
    }
  }
}
