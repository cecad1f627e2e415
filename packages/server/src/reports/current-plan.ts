import type { Engine, InstanceRecord } from '@duban/engine';
import type { TaskFacts } from './report-task.ts';
import { comparePlanOrder, reportTasks, taskFacts } from './report-task.ts';
import type { ReadModelCheckpoints } from './current-plan-checkpoint.ts';
import { captureState } from './current-plan-checkpoint.ts';
import { SharedValues } from './shared-values.ts';
import type { SupervisionEvent } from './supervision-events.ts';
import { SupervisionFold } from './supervision-events.ts';

/** The plan as a report "as of now" reads it. */
export interface PlanFacts {
  /** In plan order. */
  readonly tasks: readonly TaskFacts[];
  /** Every supervision fact so far, in seq order. */
  readonly events: readonly SupervisionEvent[];
  /** Epoch ms. */
  readonly asOf: number;
}

const AUDIT_PAGE = 1000;
const INSTANCE_PAGE = 250;
/** Above this many touched tasks, reading every task page by page beats reading them one by one. */
const REREAD_ONE_BY_ONE = 2000;

/**
 * The read model behind every report "as of now": each reform task's facts (`TaskFacts`) and the
 * supervision facts of the whole log, kept current from the audit log's tail. Each report first
 * folds in the entries written since the last one (and re-reads the tasks they touched), then reads
 * memory: no report replays the log. A report as of a past instant still replays (`reportInputAt`).
 *
 * The log is the only source: several servers on one database each keep their own, each as fresh as
 * the log when its report began. Memory: a few hundred bytes per task and per supervision fact.
 *
 * With `checkpoints`, the first catch-up starts from the saved state (when there is a usable one) and
 * folds only the entries after it; `saveCheckpoint` writes the state again (the server does, in the
 * background, after its first catch-up and now and then).
 */
export class CurrentPlan {
  private fold = new SupervisionFold();
  private ordered: TaskFacts[] = [];
  /** Tasks whose entries were folded in but whose facts are not yet re-read. */
  private readonly stale = new Set<string>();
  private seq = 0;
  private latestAt = Number.NEGATIVE_INFINITY;
  private values = new SharedValues();
  private running: Promise<void> | undefined;
  /** Whether the first catch-up has looked for a checkpoint. */
  private restored = false;
  /** The seq of the checkpoint last loaded or written (0: none). */
  private savedSeq = 0;
  /** What became of the checkpoint at the first catch-up: the seq it was loaded at, or why it was not used. */
  checkpoint: { readonly loadedAt: number } | { readonly refused: string } | undefined;
  /** Hears the seq each page of the log's tail reached (the server shows its first catch-up's progress). */
  onProgress: ((seq: number) => void) | undefined;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly checkpoints?: ReadModelCheckpoints,
  ) {}

  /**
   * The plan as of `now` (epoch ms), including every entry committed before the call; undefined when
   * the log holds entries stamped after `now` (a clock set back): such a report must replay.
   */
  async at(now: number): Promise<PlanFacts | undefined> {
    await this.catchUp();
    if (this.latestAt > now) return undefined;
    return { tasks: this.ordered, events: this.fold.events, asOf: now };
  }

  /**
   * The supervision facts of the entries stamped at or before `at` (epoch ms), including every entry
   * committed before the call: the facts as of a past instant, when each task's entries follow time
   * (each fact depends only on its entry and the task's earlier ones).
   */
  async eventsUpTo(at: number): Promise<SupervisionEvent[]> {
    await this.catchUp();
    return this.fold.events.filter((event) => event.at <= at);
  }

  /**
   * Folds in the entries written since the last catch-up. Calls during a catch-up join the next one,
   * which starts after it: every caller sees every entry committed before its call.
   */
  catchUp(): Promise<void> {
    this.pending ??= (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        const run = this.readTail().finally(() => {
          if (this.running === run) this.running = undefined;
        });
        this.running = run;
        return run;
      });
    return this.pending;
  }

  /**
   * Writes the model's state as the checkpoint, after a catch-up, when `minEntries` or more entries were
   * folded in since the last checkpoint (loaded or written); returns whether it wrote one.
   */
  async saveCheckpoint(minEntries = 1): Promise<boolean> {
    if (this.checkpoints === undefined) return false;
    // The state is captured between catch-ups: a catch-up may start again while the previous one is awaited.
    do await this.catchUp();
    while (this.running !== undefined || this.stale.size > 0);
    if (this.seq === 0 || this.seq - this.savedSeq < Math.max(1, minEntries)) return false;
    const state = captureState(this.seq, this.latestAt, this.fold.tasks, this.fold.events, this.ordered);
    await this.checkpoints.save(this.engine, state);
    this.savedSeq = Math.max(this.savedSeq, state.seq);
    return true;
  }

  /** The first catch-up: the saved state, when a usable checkpoint holds one. */
  private async restore(): Promise<void> {
    this.restored = true;
    if (this.checkpoints === undefined || this.seq !== 0) return;
    const saved = await this.checkpoints.load(this.engine);
    if ('refused' in saved) {
      this.checkpoint = saved;
      return;
    }
    this.fold = new SupervisionFold({ tasks: saved.tracked, events: saved.events, values: saved.values });
    this.values = saved.values;
    this.ordered = saved.tasks;
    this.seq = saved.seq;
    this.savedSeq = saved.seq;
    this.latestAt = saved.latestAt;
    this.checkpoint = { loadedAt: saved.seq };
  }

  private async readTail(): Promise<void> {
    if (!this.restored) await this.restore();
    for (;;) {
      // Lean: without actors, hashes and the payloads the fold does not read (most of the log's bytes).
      const page = await this.engine.readLean(this.seq, AUDIT_PAGE, SupervisionFold.payloadTypes);
      for (const entry of page) {
        if (this.fold.add(entry)) this.stale.add(entry.instanceId);
        this.seq = entry.seq;
        this.latestAt = Math.max(this.latestAt, Date.parse(entry.at));
      }
      this.onProgress?.(this.seq);
      if (page.length < AUDIT_PAGE) break;
    }
    if (this.stale.size > 0) await this.reread();
  }

  /**
   * Re-reads the stale tasks' stored snapshots (which may already be newer than the entries folded
   * in), keeping only their facts page by page: a full snapshot is several times their size.
   */
  private async reread(): Promise<void> {
    const fresh: TaskFacts[] = [];
    const keep = (records: readonly InstanceRecord[]) => {
      for (const task of reportTasks(records)) fresh.push(this.shared(taskFacts(task)));
    };
    if (this.stale.size > REREAD_ONE_BY_ONE) {
      for (let afterId: string | undefined; ; ) {
        const page = await this.engine.listInstances({ limit: INSTANCE_PAGE, ...(afterId === undefined ? {} : { afterId }) });
        keep(page.filter((record) => this.stale.has(record.id)));
        if (page.length < INSTANCE_PAGE) break;
        afterId = page[page.length - 1]!.id;
      }
    } else {
      // A page of ids a query: on PostgreSQL each read is a round trip to the database.
      const ids = [...this.stale];
      for (let i = 0; i < ids.length; i += INSTANCE_PAGE) keep(await this.engine.getInstances(ids.slice(i, i + INSTANCE_PAGE)));
    }
    // Readers may still hold the current array: changes go to a copy.
    const ordered = [...this.ordered];
    const sorted = ordered.length;
    let added = false;
    for (const facts of fresh) {
      const position = positionOf(ordered, sorted, facts);
      if (position === undefined) {
        ordered.push(facts);
        added = true;
      } else {
        ordered[position] = facts;
      }
      this.stale.delete(facts.id);
    }
    // New tasks (a plan import): the order changes.
    if (added) ordered.sort(comparePlanOrder);
    this.ordered = ordered;
  }

  /** The facts with one copy of each value many tasks share (unit lists, collectives, part, plan). */
  private shared(facts: TaskFacts): TaskFacts {
    const context = facts.task as Mutable<TaskFacts['task']>;
    context.planId = this.values.share(context.planId);
    context.part = this.values.share(context.part);
    context.leadUnits = this.values.share(context.leadUnits);
    context.responsibleUnits = this.values.share(context.responsibleUnits);
    context.collectives = this.values.share(context.collectives);
    return facts;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Where the task `facts` stands among the first `sorted` of `ordered` (in plan order), by binary search. */
function positionOf(ordered: readonly TaskFacts[], sorted: number, facts: TaskFacts): number | undefined {
  let low = 0;
  let high = sorted - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = comparePlanOrder(ordered[middle]!, facts);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}
