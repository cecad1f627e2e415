import type { Actor, Engine } from '@duban/engine';
import type { Cycle, CycleSettings, ReformTaskContext, ReportingCycleContext, ScheduleContext } from '@duban/reform-task';
import { cycleAt, cycleByKey, cyclesInstanceId, describeCycles, reportingCycleV2, taskCyclesInstanceId } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { Part, PartTask } from './cycle-parts.ts';
import { owingParts, partKey } from './cycle-parts.ts';
import { collectiveNames, overriddenTasks, reportsInWindow, taskSchedules } from './cycle-queries.ts';
import type { SupervisionEvent } from '../reports/supervision-events.ts';

/** A change to a plan's (or a task's) cycles refused: parts have already reported in the running cycle. Nothing was written. */
export class CycleChangeRefused extends Error {
  constructor(
    readonly planId: string,
    readonly cycle: string,
    readonly reports: number,
    readonly taskId: string | null = null,
  ) {
    super(`${taskId === null ? `plan ${planId}` : `task ${taskId}`}: ${reports} reports in the running cycle ${cycle}; its cycles change only when none has reported`);
    this.name = 'CycleChangeRefused';
  }
}

/** A task's own cycles removed when it has none: it follows its plan's already. Nothing was written. */
export class NoTaskCycles extends Error {
  constructor(readonly taskId: string) {
    super(`task ${taskId} has no reporting cycles of its own`);
    this.name = 'NoTaskCycles';
  }
}

/** The plan's cycles moved between reading them and writing over them: read them again. */
class CyclesMoved extends Error {
  constructor() {
    super('the reporting cycles changed while a change was checked; read them again');
    this.name = 'CyclesMoved';
  }
}

/**
 * Throws CycleChangeRefused when a part has reported in `running`: any task of plan `planId` the plan's
 * schedule judges (not those with their own), or task `taskId` only; read with `db` (the write's transaction). Does IO.
 */
async function refuseIfReported(db: Kysely<ServerDatabase>, planId: string, running: Cycle, taskId: string | null): Promise<void> {
  let reports = [...(await reportsInWindow(db, planId, running.opensAt, running.dueAt, taskId ?? undefined)).keys()];
  if (taskId === null && reports.length > 0) {
    const own = overriddenTasks(await taskSchedules(db, planId));
    reports = reports.filter((key) => !own.has(key.slice(0, key.indexOf('\u0000'))));
  }
  if (reports.length > 0) throw new CycleChangeRefused(planId, running.key, reports.length, taskId);
}

/** A task's own cycles (its override of the plan's): the settings and the running cycle. */
export interface TaskCycles {
  readonly taskId: string;
  readonly number: number;
  readonly settings: CycleSettings;
  readonly description: string;
  readonly current: Cycle | null;
}

/** A plan's cycles as they stand: the settings (null: never set), the running cycle (null: none) and the tasks' own. */
export interface PlanCycles {
  readonly planId: string;
  readonly settings: CycleSettings | null;
  /** In words: 每月5日, 每季度季末, 不设报送周期. */
  readonly description: string;
  readonly current: Cycle | null;
  /** The tasks with cycles of their own, by number: the plan's do not judge them. */
  readonly overrides: readonly TaskCycles[];
}

/** Which schedule a line belongs to: the plan's, or its task's own. */
export type ScheduleKind = 'plan' | 'task';

/** One part's line in a cycle's 报送情况: its schedule and due day; when it first reported in the cycle's window, or null (未报). */
export interface PartReport extends Part {
  readonly schedule: ScheduleKind;
  readonly dueDate: string;
  readonly reportedAt: string | null;
  readonly seq: number | null;
}

/** One schedule's cycle of a key: the plan's (`taskId` null) or a task's own. */
export interface ScheduleCycle {
  readonly taskId: string | null;
  readonly cycle: Cycle;
  readonly closed: boolean;
}

/**
 * 报送情况 of one cycle key, across the schedules that have it (the plan's, and each task's own): closed
 * cycles as recorded when they fell due; a running one as of now. `cycle` is the plan's when it has the
 * key, else the first task's own; `closed` when every schedule's has fallen due.
 */
export interface CycleStatus {
  readonly planId: string;
  readonly cycle: Cycle;
  /** Fell due: the parts are those recorded then (or, for a cycle no record was kept of, the parts owing now). */
  readonly closed: boolean;
  readonly schedules: readonly ScheduleCycle[];
  readonly parts: readonly PartReport[];
  readonly reported: number;
  readonly unreported: number;
}

/** A task's number: its id after the last `.`. Pure. */
const numberOf = (taskId: string) => Number(taskId.slice(taskId.lastIndexOf('.') + 1));

/** The plan's settings as stored, read with `db` (a transaction's, in a check). Does IO. */
async function planSettings(db: Kysely<ServerDatabase>, planId: string): Promise<CycleSettings | null> {
  const row: { snapshot: string } | undefined = await (db as Kysely<any>).selectFrom('workflow_instance').select('snapshot').where('id', '=', cyclesInstanceId(planId)).executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.snapshot) as { context: ReportingCycleContext }).context.settings;
}

/**
 * A plan's reporting cycles (信息报送): the settings (an audited SET_CYCLES entry of the plan's
 * `reporting-cycle` instance), who reported in which cycle (from `cycle_report`, one indexed query per
 * cycle), the closed cycles' records (`cycle_part`) and the parts 未报. Does IO.
 */
export class ReportingCycles {
  /** How many times this server changed a plan's cycles: what caches of counts depending on them key on. */
  changes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly db: Kysely<ServerDatabase>,
  ) {}

  /** The plan's cycles, the cycle running at `now`, and the tasks' own. */
  async get(planId: string, now: Date): Promise<PlanCycles> {
    const settings = await this.settings(planId);
    const current = settings === null ? undefined : cycleAt(settings, now.getTime());
    return { planId, settings, description: describeCycles(settings), current: current ?? null, overrides: await this.overrides(planId, now) };
  }

  /** The tasks of plan `planId` with cycles of their own, by number, with the cycle running at `now`. */
  async overrides(planId: string, now: Date): Promise<TaskCycles[]> {
    return (await taskSchedules(this.db, planId))
      .filter((schedule): schedule is ScheduleContext & { taskId: string; settings: CycleSettings } => schedule.settings !== null && schedule.taskId !== null)
      .map((schedule) => ({
        taskId: schedule.taskId,
        number: numberOf(schedule.taskId),
        settings: schedule.settings,
        description: describeCycles(schedule.settings),
        current: cycleAt(schedule.settings, now.getTime()) ?? null,
      }))
      .sort((a, b) => a.number - b.number);
  }

  /**
   * Sets the plan's cycles as `actor` (the office) at `at`: one SET_CYCLES entry (the plan's instance is
   * created with the first). Refused with CycleChangeRefused, writing nothing, when a part the plan's
   * schedule judges (a task with cycles of its own is not) has reported in the running cycle; otherwise
   * the new cycles apply at once (the running cycle is the new settings').
   * The check runs inside the entry's transaction, which every engine write is serialized with (SQLite's
   * one writer, PostgreSQL's chain lock): a report committed up to the write is seen, one after it counts
   * under the new cycles. The settings it checks against are those of the version the entry is written
   * over: when another entry landed in between, it reads them again.
   */
  async set(planId: string, settings: CycleSettings, actor: Actor, at: Date): Promise<PlanCycles> {
    const id = cyclesInstanceId(planId);
    for (let attempt = 1; ; attempt++) {
      let read = await this.engine.getInstance(id);
      if (read === undefined) {
        await this.engine.create([{ id, workflow: reportingCycleV2.id, input: { planId } }], actor, at);
        read = (await this.engine.getInstance(id))!;
      }
      const version = read.version;
      const before = (read.snapshot.context as ReportingCycleContext).settings;
      const running = before === null ? undefined : cycleAt(before, at.getTime());
      try {
        await this.engine.send(id, { type: 'SET_CYCLES', payload: settings }, actor, at, {
          inTransaction: async (tx, { instance: written }) => {
            if (written.version !== version + 1) throw new CyclesMoved();
            if (running !== undefined) await refuseIfReported(tx.kysely as Kysely<ServerDatabase>, planId, running, null);
          },
        });
        break;
      } catch (error) {
        // A reminder, a due day or another office's change moved the instance since we read it.
        if (error instanceof CyclesMoved && attempt < 5) continue;
        throw error;
      }
    }
    this.changes += 1;
    return this.get(planId, at);
  }

  /**
   * Gives task `task` (of plan `planId`) cycles of its own as `actor` (the office) at `at`, or, with
   * `settings` null, removes them (it follows the plan's again): one SET_CYCLES or CLEAR_CYCLES entry
   * of the task's schedule instance `cycles:<planId>#<number>` (created, workflow `reporting-cycle`
   * version 2, with its first setting). Refused with CycleChangeRefused, writing nothing, when one of
   * the task's parts has reported in the cycle now running for it (its own, else the plan's); removing
   * what is not there, NoTaskCycles. The check runs in the entry's transaction, as `set`'s; the plan's
   * settings are read there too.
   */
  async setTask(planId: string, task: { id: string; number: number }, settings: CycleSettings | null, actor: Actor, at: Date): Promise<TaskCycles | null> {
    const id = taskCyclesInstanceId(planId, task.number);
    for (let attempt = 1; ; attempt++) {
      let read = await this.engine.getInstance(id);
      const before = read === undefined ? null : (read.snapshot.context as ScheduleContext).settings;
      if (settings === null && before === null) throw new NoTaskCycles(task.id);
      const runningIn = async (db: Kysely<ServerDatabase>) => {
        const schedule = before ?? (await planSettings(db, planId));
        return schedule === null ? undefined : cycleAt(schedule, at.getTime());
      };
      if (read === undefined) {
        // Checked before the instance is created, so that a refusal writes nothing (and again in the entry's transaction).
        const running = await runningIn(this.db);
        if (running !== undefined) await refuseIfReported(this.db, planId, running, task.id);
        await this.engine.create([{ id, workflow: reportingCycleV2.id, input: { planId, taskId: task.id } }], actor, at);
        read = (await this.engine.getInstance(id))!;
      }
      const version = read.version;
      try {
        const event = settings === null ? { type: 'CLEAR_CYCLES', payload: {} } : { type: 'SET_CYCLES', payload: settings };
        await this.engine.send(id, event, actor, at, {
          inTransaction: async (tx, { instance: written }) => {
            if (written.version !== version + 1) throw new CyclesMoved();
            // The plan's settings as this transaction leaves them (PostgreSQL writes a batch's instances at its end).
            await tx.settle();
            const db = tx.kysely as Kysely<ServerDatabase>;
            const running = await runningIn(db);
            if (running !== undefined) await refuseIfReported(db, planId, running, task.id);
          },
        });
        break;
      } catch (error) {
        if (error instanceof CyclesMoved && attempt < 5) continue;
        throw error;
      }
    }
    this.changes += 1;
    return (await this.overrides(planId, at)).find((own) => own.taskId === task.id) ?? null;
  }

  /** Task `ref` (its number, or its id `<planId>.<number>`) of plan `planId`; undefined when the plan has no such task. */
  async task(planId: string, ref: string): Promise<{ id: string; number: number } | undefined> {
    // A plan's task ids are `<planId>.<number, 3 digits at least>` (instances-from-plan).
    const id = /^\d{1,6}$/.test(ref) ? `${planId}.${String(Number(ref)).padStart(3, '0')}` : ref;
    const instance = await this.engine.getInstance(id);
    if (instance === undefined || instance.workflowId !== 'reform-task') return undefined;
    const context = instance.snapshot.context as ReformTaskContext;
    return context.planId === planId ? { id, number: context.number } : undefined;
  }

  /** The settings in force, null when the office never set them. */
  async settings(planId: string): Promise<CycleSettings | null> {
    const instance = await this.engine.getInstance(cyclesInstanceId(planId));
    return instance === undefined ? null : (instance.snapshot.context as ReportingCycleContext).settings;
  }

  /**
   * The cycles of key `key` of plan `planId`, one per schedule that has it: the plan's first (judging
   * the tasks without cycles of their own), then each task's own by number; of task `only`'s schedule
   * alone when given. Empty when none has the key.
   */
  async cycles(planId: string, key: string, now: Date, only?: string): Promise<ScheduleCycle[]> {
    const found: ScheduleCycle[] = [];
    const overrides = await this.overrides(planId, now);
    const own = overrides.find((override) => override.taskId === only);
    if (only === undefined || own === undefined) {
      const settings = await this.settings(planId);
      const cycle = settings === null ? undefined : cycleByKey(settings, key);
      if (cycle !== undefined) found.push({ taskId: null, cycle, closed: cycle.dueAt <= now.getTime() });
    }
    for (const override of overrides) {
      if (only !== undefined && override.taskId !== only) continue;
      const cycle = cycleByKey(override.settings, key);
      if (cycle !== undefined) found.push({ taskId: override.taskId, cycle, closed: cycle.dueAt <= now.getTime() });
    }
    return found;
  }

  /**
   * 报送情况 of key `key` across `schedules` (from `cycles`; not empty): each schedule's recorded parts
   * when its cycle has closed, else the parts of `tasks` (the plan's, as of now) it judges, owing now;
   * with `only`, that task's parts alone.
   */
  async status(planId: string, schedules: readonly ScheduleCycle[], tasks: readonly PartTask[], now: Date, only?: string): Promise<CycleStatus> {
    const ofPlan = tasks.filter((task) => task.snapshot.context.planId === planId);
    const own = overriddenTasks(await taskSchedules(this.db, planId));
    const collectives = await collectiveNames(this.db);
    const lines: PartReport[] = [];
    for (const schedule of schedules) {
      const judged = ofPlan.filter((task) => (schedule.taskId === null ? !own.has(task.id) && (only === undefined || task.id === only) : task.id === schedule.taskId));
      lines.push(...(await this.scheduleLines(planId, schedule, judged, ofPlan, collectives, only)));
    }
    const reported = lines.filter((line) => line.seq !== null).length;
    return { planId, cycle: schedules[0]!.cycle, closed: schedules.every((schedule) => schedule.closed), schedules, parts: lines, reported, unreported: lines.length - reported };
  }

  /**
   * One schedule's lines of 报送情况: the parts recorded when its cycle closed (named from `all`, the
   * plan's tasks: a task recorded then may have its own schedule now), else those of `tasks` (those it judges) owing now.
   */
  private async scheduleLines(planId: string, { taskId, cycle, closed }: ScheduleCycle, tasks: readonly PartTask[], all: readonly PartTask[], collectives: ReadonlySet<string>, only: string | undefined): Promise<PartReport[]> {
    const kind: ScheduleKind = taskId === null ? 'plan' : 'task';
    const reports = await reportsInWindow(this.db, planId, cycle.opensAt, cycle.dueAt, taskId ?? only);
    let recorded: { task_id: string; unit: string }[] = [];
    if (closed) {
      let select = this.db.selectFrom('cycle_part').select(['task_id', 'unit']).where('plan_id', '=', planId).where('schedule', '=', kind).where('cycle_key', '=', cycle.key);
      if ((taskId ?? only) !== undefined) select = select.where('task_id', '=', (taskId ?? only)!);
      recorded = await select.execute();
    }
    let parts: Part[] = owingParts(tasks, collectives);
    if (recorded.length > 0) {
      // The parts as recorded when the cycle fell due; their task's number and text from the task.
      const byId = new Map(all.map((task) => [task.id, task.snapshot.context]));
      const leads = (id: string, unit: string) => {
        const context = byId.get(id);
        return context !== undefined && context.leadUnits.flatMap((u) => [u, ...(context.collectives[u] ?? [])]).includes(unit);
      };
      parts = recorded.map((row) => ({ taskId: row.task_id, number: byId.get(row.task_id)?.number ?? numberOf(row.task_id), text: byId.get(row.task_id)?.text ?? '', unit: row.unit, lead: leads(row.task_id, row.unit) }));
      parts.sort((a, b) => a.taskId.localeCompare(b.taskId) || Number(b.lead) - Number(a.lead));
    }
    return parts.map((part): PartReport => {
      const report = reports.get(partKey(part.taskId, part.unit));
      return { ...part, schedule: kind, dueDate: cycle.dueDate, reportedAt: report?.at ?? null, seq: report?.seq ?? null };
    });
  }

  /** The closed cycles recorded of the plan's schedule (of task `taskId`'s own, when given), latest first, with how many parts owed and how many reported. */
  async closedCycles(planId: string, taskId?: string): Promise<{ key: string; dueAt: string; parts: number; reported: number }[]> {
    let select = this.db
      .selectFrom('cycle_part')
      .select((eb) => ['cycle_key', 'due_at', eb.fn.countAll<number | string>().as('parts'), eb.fn.count<number | string>('reported_seq').as('reported')])
      .where('plan_id', '=', planId)
      .where('schedule', '=', taskId === undefined ? 'plan' : 'task');
    if (taskId !== undefined) select = select.where('task_id', '=', taskId);
    const rows = await select.groupBy(['cycle_key', 'due_at']).orderBy('due_at', 'desc').execute();
    return rows.map((row) => ({ key: row.cycle_key, dueAt: row.due_at, parts: Number(row.parts), reported: Number(row.reported) }));
  }

  /**
   * How many parts of `tasks` (every plan's, as of now) have not reported in the cycle running for
   * them (their task's own schedule's, else their plan's): the inbox's `unreported`. One indexed query
   * per schedule. Does IO.
   */
  async unreportedCount(tasks: readonly PartTask[], now: Date): Promise<number> {
    const byPlan = new Map<string, PartTask[]>();
    // Grouped by pushing: copying each group on every task was quadratic (minutes at 100,000 tasks in one plan).
    for (const task of tasks) {
      const group = byPlan.get(task.snapshot.context.planId);
      if (group === undefined) byPlan.set(task.snapshot.context.planId, [task]);
      else group.push(task);
    }
    const instances = await this.engine.getInstances([...byPlan.keys()].map(cyclesInstanceId));
    const withOwn = new Map<string, ScheduleContext[]>();
    for (const planId of byPlan.keys()) {
      const schedules = (await taskSchedules(this.db, planId)).filter((schedule) => schedule.settings !== null);
      if (schedules.length > 0) withOwn.set(planId, schedules);
    }
    if (instances.length === 0 && withOwn.size === 0) return 0;
    const collectives = await collectiveNames(this.db);
    const missingIn = async (planId: string, settings: CycleSettings, judged: readonly PartTask[], taskId?: string) => {
      const cycle = cycleAt(settings, now.getTime());
      if (cycle === undefined || judged.length === 0) return 0;
      const reports = await reportsInWindow(this.db, planId, cycle.opensAt, cycle.dueAt, taskId);
      return owingParts(judged, collectives).filter((part) => !reports.has(partKey(part.taskId, part.unit))).length;
    };
    let count = 0;
    for (const instance of instances) {
      const { planId, settings } = instance.snapshot.context as ReportingCycleContext;
      if (settings === null) continue;
      const own = overriddenTasks(withOwn.get(planId) ?? []);
      const judged = byPlan.get(planId) ?? [];
      count += await missingIn(planId, settings, own.size === 0 ? judged : judged.filter((task) => !own.has(task.id)));
    }
    for (const [planId, schedules] of withOwn) {
      const judged = byPlan.get(planId) ?? [];
      for (const schedule of schedules) count += await missingIn(planId, schedule.settings!, judged.filter((task) => task.id === schedule.taskId), schedule.taskId!);
    }
    return count;
  }

  /**
   * The units of each of `taskIds` whose part is marked 未报: not reported in the latest closed cycle
   * of their plan, and not reported since (tasks with none are absent). Does IO.
   */
  async missing(taskIds: readonly string[]): Promise<Map<string, string[]>> {
    const marks = new Map<string, string[]>();
    if (taskIds.length === 0) return marks;
    const rows = await this.db
      .selectFrom('cycle_part as p')
      .select(['p.plan_id', 'p.cycle_key', 'p.task_id', 'p.unit', 'p.due_at', 'p.reported_seq'])
      .where('p.task_id', 'in', [...taskIds])
      .execute();
    // The latest recorded cycle per task: a part is 未报 only for the last cycle that fell due.
    const latest = new Map<string, string>();
    for (const row of rows) if ((latest.get(row.task_id) ?? '') < row.due_at) latest.set(row.task_id, row.due_at);
    const candidates = rows.filter((row) => row.reported_seq === null && latest.get(row.task_id) === row.due_at);
    if (candidates.length === 0) return marks;
    const since = await this.db
      .selectFrom('cycle_report')
      .select(['task_id', 'unit', 'at'])
      .where('task_id', 'in', [...new Set(candidates.map((row) => row.task_id))])
      .execute();
    const lastReport = new Map<string, string>();
    for (const report of since) {
      const key = partKey(report.task_id, report.unit);
      if ((lastReport.get(key) ?? '') < report.at) lastReport.set(key, report.at);
    }
    for (const row of candidates) {
      if ((lastReport.get(partKey(row.task_id, row.unit)) ?? '') >= row.due_at) continue;
      const units = marks.get(row.task_id);
      if (units === undefined) marks.set(row.task_id, [row.unit]);
      else units.push(row.unit);
    }
    return marks;
  }

  /**
   * The parts that did not report in a cycle that fell due by `asOf` (epoch ms), of plan `planId` (every
   * plan's when undefined), as supervision facts of kind `unreported` (at the due instant, the CYCLE_DUE
   * entry's seq) naming only that part's unit, as lead or responsible: what the assessment's unreported
   * rules count. Does IO.
   */
  async missedFacts(planId: string | undefined, asOf: number): Promise<SupervisionEvent[]> {
    let select = this.db
      .selectFrom('cycle_part')
      .select(['cycle_key', 'schedule', 'task_id', 'unit', 'lead', 'due_at', 'due_seq'])
      .where('reported_seq', 'is', null)
      .where('due_at', '<=', new Date(asOf).toISOString());
    if (planId !== undefined) select = select.where('plan_id', '=', planId);
    const rows = await select.orderBy('due_seq').execute();
    return rows.map((row) => ({
      kind: 'unreported',
      seq: Number(row.due_seq),
      at: Date.parse(row.due_at),
      taskId: row.task_id,
      number: Number(row.task_id.slice(row.task_id.lastIndexOf('.') + 1)),
      leadUnits: Number(row.lead) === 1 ? [row.unit] : [],
      responsibleUnits: Number(row.lead) === 1 ? [] : [row.unit],
      collectives: {},
      onTime: false,
      detail: row.schedule === 'task' ? `${row.cycle_key}期（本任务报送周期）未报送进展` : `${row.cycle_key}期未报送进展`,
    }));
  }
}
