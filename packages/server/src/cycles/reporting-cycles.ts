import type { Actor, Engine } from '@duban/engine';
import type { Cycle, CycleSettings, ReportingCycleContext } from '@duban/reform-task';
import { cycleAt, cycleByKey, cyclesInstanceId, describeCycles, reportingCycleV1 } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { Part, PartTask } from './cycle-parts.ts';
import { owingParts, partKey } from './cycle-parts.ts';
import { collectiveNames, reportsInWindow } from './cycle-queries.ts';
import type { SupervisionEvent } from '../reports/supervision-events.ts';

/** A change to a plan's cycles refused: parts have already reported in the running cycle. Nothing was written. */
export class CycleChangeRefused extends Error {
  constructor(
    readonly planId: string,
    readonly cycle: string,
    readonly reports: number,
  ) {
    super(`plan ${planId}: ${reports} reports in the running cycle ${cycle}; its cycles change only when none has reported`);
    this.name = 'CycleChangeRefused';
  }
}

/** The plan's cycles moved between reading them and writing over them: read them again. */
class CyclesMoved extends Error {
  constructor() {
    super('the reporting cycles changed while a change was checked; read them again');
    this.name = 'CyclesMoved';
  }
}

/** Throws CycleChangeRefused when a part of plan `planId` has reported in `running`, read with `db` (the write's transaction). Does IO. */
async function refuseIfReported(db: Kysely<ServerDatabase>, planId: string, running: Cycle): Promise<void> {
  const reports = await reportsInWindow(db, planId, running.opensAt, running.dueAt);
  if (reports.size > 0) throw new CycleChangeRefused(planId, running.key, reports.size);
}

/** A plan's cycles as they stand: the settings (null: never set) and the running cycle (null: none). */
export interface PlanCycles {
  readonly planId: string;
  readonly settings: CycleSettings | null;
  /** In words: 每月5日, 每季度季末, 不设报送周期. */
  readonly description: string;
  readonly current: Cycle | null;
}

/** One part's line in a cycle's 报送情况: when it first reported in the cycle's window, or null (未报). */
export interface PartReport extends Part {
  readonly reportedAt: string | null;
  readonly seq: number | null;
}

/** 报送情况 of one cycle: closed cycles as recorded when they fell due; the running one as of now. */
export interface CycleStatus {
  readonly planId: string;
  readonly cycle: Cycle;
  /** Fell due: the parts are those recorded then (or, for a cycle no record was kept of, the parts owing now). */
  readonly closed: boolean;
  readonly parts: readonly PartReport[];
  readonly reported: number;
  readonly unreported: number;
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

  /** The plan's cycles, and the cycle running at `now`. */
  async get(planId: string, now: Date): Promise<PlanCycles> {
    const settings = await this.settings(planId);
    const current = settings === null ? undefined : cycleAt(settings, now.getTime());
    return { planId, settings, description: describeCycles(settings), current: current ?? null };
  }

  /**
   * Sets the plan's cycles as `actor` (the office) at `at`: one SET_CYCLES entry (the plan's instance is
   * created with the first). Refused with CycleChangeRefused, writing nothing, when a part has reported
   * in the running cycle; otherwise the new cycles apply at once (the running cycle is the new settings').
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
        await this.engine.create([{ id, workflow: reportingCycleV1.id, input: { planId } }], actor, at);
        read = (await this.engine.getInstance(id))!;
      }
      const version = read.version;
      const before = (read.snapshot.context as ReportingCycleContext).settings;
      const running = before === null ? undefined : cycleAt(before, at.getTime());
      try {
        await this.engine.send(id, { type: 'SET_CYCLES', payload: settings }, actor, at, {
          inTransaction: async (tx, { instance: written }) => {
            if (written.version !== version + 1) throw new CyclesMoved();
            if (running !== undefined) await refuseIfReported(tx.kysely as Kysely<ServerDatabase>, planId, running);
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

  /** The settings in force, null when the office never set them. */
  async settings(planId: string): Promise<CycleSettings | null> {
    const instance = await this.engine.getInstance(cyclesInstanceId(planId));
    return instance === undefined ? null : (instance.snapshot.context as ReportingCycleContext).settings;
  }

  /** The cycle `key` of the plan; undefined when the plan has no cycles or no such cycle. */
  async cycle(planId: string, key: string): Promise<Cycle | undefined> {
    const settings = await this.settings(planId);
    return settings === null ? undefined : cycleByKey(settings, key);
  }

  /** 报送情况 of `cycle`: the recorded parts of a closed cycle, else the parts of `tasks` (the plan's, as of now) owing now. */
  async status(planId: string, cycle: Cycle, tasks: readonly PartTask[], now: Date): Promise<CycleStatus> {
    const closed = cycle.dueAt <= now.getTime();
    const reports = await reportsInWindow(this.db, planId, cycle.opensAt, cycle.dueAt);
    const recorded = closed ? await this.db.selectFrom('cycle_part').select(['task_id', 'unit']).where('plan_id', '=', planId).where('cycle_key', '=', cycle.key).execute() : [];
    const owing = owingParts(tasks.filter((task) => task.snapshot.context.planId === planId), await collectiveNames(this.db));
    let parts: Part[] = owing;
    if (recorded.length > 0) {
      // The parts as recorded when the cycle fell due; their task's number and text from the task.
      const byId = new Map(tasks.map((task) => [task.id, task.snapshot.context]));
      const leads = (taskId: string, unit: string) => {
        const context = byId.get(taskId);
        return context !== undefined && context.leadUnits.flatMap((u) => [u, ...(context.collectives[u] ?? [])]).includes(unit);
      };
      parts = recorded.map((row) => ({ taskId: row.task_id, number: byId.get(row.task_id)?.number ?? 0, text: byId.get(row.task_id)?.text ?? '', unit: row.unit, lead: leads(row.task_id, row.unit) }));
      parts.sort((a, b) => a.taskId.localeCompare(b.taskId) || Number(b.lead) - Number(a.lead));
    }
    const lines = parts.map((part): PartReport => {
      const report = reports.get(partKey(part.taskId, part.unit));
      return { ...part, reportedAt: report?.at ?? null, seq: report?.seq ?? null };
    });
    const reported = lines.filter((line) => line.seq !== null).length;
    return { planId, cycle, closed, parts: lines, reported, unreported: lines.length - reported };
  }

  /** The closed cycles of the plan that were recorded, latest first, with how many parts owed and how many reported. */
  async closedCycles(planId: string): Promise<{ key: string; dueAt: string; parts: number; reported: number }[]> {
    const rows = await this.db
      .selectFrom('cycle_part')
      .select((eb) => ['cycle_key', 'due_at', eb.fn.countAll<number | string>().as('parts'), eb.fn.count<number | string>('reported_seq').as('reported')])
      .where('plan_id', '=', planId)
      .groupBy(['cycle_key', 'due_at'])
      .orderBy('due_at', 'desc')
      .execute();
    return rows.map((row) => ({ key: row.cycle_key, dueAt: row.due_at, parts: Number(row.parts), reported: Number(row.reported) }));
  }

  /**
   * How many parts of `tasks` (every plan's, as of now) have not reported in their plan's running cycle:
   * the inbox's `unreported`. One indexed query per plan with cycles. Does IO.
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
    if (instances.length === 0) return 0;
    const collectives = await collectiveNames(this.db);
    let count = 0;
    for (const instance of instances) {
      const { planId, settings } = instance.snapshot.context as ReportingCycleContext;
      const cycle = settings === null ? undefined : cycleAt(settings, now.getTime());
      if (cycle === undefined) continue;
      const reports = await reportsInWindow(this.db, planId, cycle.opensAt, cycle.dueAt);
      count += owingParts(byPlan.get(planId) ?? [], collectives).filter((part) => !reports.has(partKey(part.taskId, part.unit))).length;
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
      .select(['cycle_key', 'task_id', 'unit', 'lead', 'due_at', 'due_seq'])
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
      detail: `${row.cycle_key}期未报送进展`,
    }));
  }
}
