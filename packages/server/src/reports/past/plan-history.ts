import type { Engine, LeanEntry } from '@duban/engine';
import { CREATE_EVENT } from '@duban/engine';
import { foldActorTypes, foldPayloadTypes, foldReformTask } from '@duban/reform-task';
import type { FoldedTask, ReformTaskContext, ReformTaskSnapshot } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../../db/server-tables.ts';
import type { ReportTask, TaskFacts } from '../report-task.ts';
import { comparePlanOrder, factFieldNames, taskFacts } from '../report-task.ts';
import { SharedValues } from '../shared-values.ts';

const AUDIT_PAGE = 2000;
const READ_PAGE = 2000;
/** Tasks whose latest version the fold keeps in memory between pages (the others are read back from their rows). */
const CACHED_TASKS = 5000;
const FINAL_STATES: ReadonlySet<string> = new Set(['closed', 'accountability', 'cancelled']);

/** The standing: what the summary, the assessment, the circular and the diffs read, besides the plan's fields, and what the fold's actions count. */
const STANDING = new Set<string>([
  ...factFieldNames.filter((field) => !['planId', 'number', 'part', 'text', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline', 'graceFrom'].includes(field)),
  'rejectionsSinceInterview', 'urges', 'interviews', 'extensions', 'startedAt', 'overdueSince',
]);
/** The plan's fields: the task's input as imported, amended and reassigned. */
const PLAN = new Set<string>(['planId', 'number', 'part', 'measure', 'text', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline', 'graceFrom', 'warningLeadDays', 'escalateAfterDays', 'maxRejections', 'addition']);

type Group = 'plan' | 'standing' | 'progress' | 'detail';
const GROUPS: readonly Group[] = ['plan', 'standing', 'progress', 'detail'];

function groupOf(field: string): Group {
  return PLAN.has(field) ? 'plan' : STANDING.has(field) ? 'standing' : field === 'lastProgress' ? 'progress' : 'detail';
}

/** A task's latest version as the fold holds it, with each group's JSON and the version whose row holds it. */
interface Latest {
  task: FoldedTask;
  version: number;
  at: number;
  json: Record<Group, string>;
  holder: Record<Group, number>;
}

type Row = ServerDatabase['plan_history'];

/**
 * The plan's past, derived from the audit log (table `plan_history`, migration 0018): each reform
 * task's entry folded by `foldReformTask` (no state machine) into a row of its version, its fields
 * as four groups written only when they changed. A past view as of an instant is then one indexed
 * read: each task's latest row at or before it. The rows are rebuilt from the log when missing (a new
 * database, `migrate-db`), appended as the log grows, and never trusted by `audit verify`.
 *
 * The rows follow time per task: when some task's entries were stamped out of order (a clock set
 * back) `usable` turns false and past views fold the log instead (PastPlan). Several servers on one
 * database append in turn: each page is written only if the recorded seq is still the one it folded
 * from. Does IO.
 */
export class PlanHistory {
  private readonly cache = new Map<string, Latest>();
  /**
   * Each task's plan group as the last past view read it (the version whose row holds it, parsed, its
   * unit lists shared): it changes only on AMEND and REASSIGN, so a past view reads and parses only the
   * plans that differ from the last one's (~400 bytes a task held).
   */
  private readonly plans = new Map<string, { version: number; plan: Readonly<Record<string, unknown>> }>();
  private readonly planValues = new SharedValues();
  private running: Promise<boolean> | undefined;
  private pending: Promise<boolean> | undefined;
  /** Hears the seq each page of the log reached (the first build of a large log takes a while). */
  onProgress: ((seq: number) => void) | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly db: Kysely<ServerDatabase>,
  ) {}

  /** Folds in every entry committed before the call; whether the rows can answer past views (see the class). */
  catchUp(): Promise<boolean> {
    // One catch-up at a time; callers arriving during one join the next, which starts after it and sees their entries.
    this.pending ??= (this.running ?? Promise.resolve(true))
      .catch(() => true)
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

  /** Each reform task's facts as of `at` (epoch ms), in plan order. */
  async facts(at: number): Promise<TaskFacts[]> {
    const facts: TaskFacts[] = [];
    await this.read(at, false, (task) => facts.push(taskFacts(task)));
    return facts.sort(comparePlanOrder);
  }

  /** Whole tasks (every field of their context) as of `at` (epoch ms), in plan order. */
  async tasks(at: number): Promise<ReportTask[]> {
    const tasks: ReportTask[] = [];
    await this.read(at, true, (task) => tasks.push(task));
    return tasks.sort(comparePlanOrder);
  }

  /** The tasks `ids` whole as of `at` (epoch ms), in plan order (those that did not exist yet left out): a piece of a ledger. */
  async tasksOf(at: number, ids: readonly string[]): Promise<ReportTask[]> {
    const tasks: ReportTask[] = [];
    if (ids.length > 0) await this.read(at, true, (task) => tasks.push(task), ids);
    return tasks.sort(comparePlanOrder);
  }

  private async read(at: number, detail: boolean, each: (task: ReportTask) => void, ids?: readonly string[]): Promise<void> {
    for (let after = ''; ; ) {
      const rows = await sql<{ instance_id: string; version: number | string; at: number | string; assigned_at: number | string; state: string; plan_v: number | string; standing: string; progress: string | null; detail: string | null }>`
        SELECT h.instance_id, h.version, h.at, c.at AS assigned_at, h.state, h.plan_v,
          (SELECT s.standing FROM plan_history s WHERE s.instance_id = h.instance_id AND s.version = h.standing_v) AS standing,
          ${detail ? sql`(SELECT g.progress FROM plan_history g WHERE g.instance_id = h.instance_id AND g.version = h.progress_v)` : sql`NULL`} AS progress,
          ${detail ? sql`(SELECT d.detail FROM plan_history d WHERE d.instance_id = h.instance_id AND d.version = h.detail_v)` : sql`NULL`} AS detail
        FROM plan_history c
        JOIN plan_history h ON h.instance_id = c.instance_id AND h.version = (
          SELECT l.version FROM plan_history l WHERE l.instance_id = c.instance_id AND l.at <= ${at} ORDER BY l.at DESC, l.version DESC LIMIT 1)
        WHERE c.version = 1 AND c.at <= ${at} AND c.instance_id > ${after} ${ids === undefined ? sql`` : sql`AND c.instance_id IN (${sql.join(ids)})`}
        ORDER BY c.instance_id
        LIMIT ${READ_PAGE}`.execute(this.db);
      await this.readPlans(rows.rows.map((row) => ({ id: row.instance_id, version: Number(row.plan_v) })));
      for (const row of rows.rows) {
        // One object per task, the groups parsed into it: a past view of the whole plan makes 100,000 of them.
        const context = Object.assign({}, this.plans.get(row.instance_id)!.plan, JSON.parse(row.standing), row.progress === null ? undefined : JSON.parse(row.progress), row.detail === null ? undefined : JSON.parse(row.detail)) as ReformTaskContext;
        const snapshot = { value: row.state, status: FINAL_STATES.has(row.state) ? 'done' : 'active', context } as unknown as ReformTaskSnapshot;
        each({ id: row.instance_id, version: Number(row.version), snapshot, task: context, assignedAt: Number(row.assigned_at), changedAt: Number(row.at) });
      }
      if (rows.rows.length < READ_PAGE) return;
      after = rows.rows[rows.rows.length - 1]!.instance_id;
    }
  }

  /** Makes sure each task's plan group of `version` is in memory (`plans`), reading those that are not in one statement. */
  private async readPlans(wanted: readonly { id: string; version: number }[]): Promise<void> {
    const missing = wanted.filter(({ id, version }) => this.plans.get(id)?.version !== version);
    if (missing.length === 0) return;
    const rows = await sql<{ instance_id: string; version: number | string; plan: string | null }>`
      SELECT instance_id, version, plan FROM plan_history
      WHERE (instance_id, version) IN (${sql.join(missing.map(({ id, version }) => sql`(${id}, ${version})`))})`.execute(this.db);
    for (const row of rows.rows) {
      if (row.plan === null) throw new Error(`plan_history: ${row.instance_id} version ${row.version} lacks its plan`);
      const plan = JSON.parse(row.plan) as Record<string, unknown>;
      for (const field of ['planId', 'part', 'leadUnits', 'responsibleUnits', 'collectives']) if (field in plan) plan[field] = this.planValues.share(plan[field]);
      this.plans.set(row.instance_id, { version: Number(row.version), plan });
    }
  }

  private async readTail(): Promise<boolean> {
    for (;;) {
      const state = await this.db.selectFrom('plan_history_state').select(['seq', 'unordered']).where('id', '=', 1).executeTakeFirstOrThrow();
      const from = Number(state.seq);
      const page = await this.engine.readLean(from, AUDIT_PAGE, foldPayloadTypes, foldActorTypes);
      if (page.length === 0) return state.unordered === 0;
      let unordered = state.unordered !== 0;
      const rows: Row[] = [];
      const touched = new Map<string, Latest>();
      for (const entry of page) {
        const latest = touched.get(entry.instanceId) ?? (entry.type === CREATE_EVENT ? undefined : await this.latest(entry.instanceId));
        const next = this.fold(latest, entry);
        if (next === undefined) continue;
        if (latest !== undefined && next.row.at < latest.at) unordered = true;
        touched.set(entry.instanceId, next.latest);
        rows.push(next.row);
      }
      const to = page[page.length - 1]!.seq;
      const written = await this.db.transaction().execute(async (trx) => {
        // Another server may have written this page meanwhile: then only its rows stand.
        const moved = await trx.updateTable('plan_history_state').set({ seq: to, unordered: unordered ? 1 : 0 }).where('id', '=', 1).where('seq', '=', from).executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return false;
        for (let i = 0; i < rows.length; i += 200) await trx.insertInto('plan_history').values(rows.slice(i, i + 200)).execute();
        return true;
      });
      if (written) {
        for (const [id, latest] of touched) this.remember(id, latest);
      } else {
        this.cache.clear();
      }
      this.onProgress?.(to);
    }
  }

  /** The row an entry adds and the task's new latest version; undefined for an entry of another workflow. */
  private fold(latest: Latest | undefined, entry: LeanEntry): { row: Row; latest: Latest } | undefined {
    const at = Date.parse(entry.at);
    const folded = { type: entry.type, payload: entry.payload, actor: entry.actor, at, from: entry.from, to: entry.to };
    let task: FoldedTask;
    if (entry.type === CREATE_EVENT) {
      if ((entry.payload as { workflow?: unknown } | null)?.workflow !== 'reform-task') return undefined;
      task = foldReformTask(undefined, folded);
    } else {
      if (latest === undefined) return undefined;
      task = foldReformTask(latest.task, folded);
    }
    const json = groupsOf(task.context);
    const holder: Record<Group, number> = { plan: entry.version, standing: entry.version, progress: entry.version, detail: entry.version };
    const row: Row = {
      instance_id: entry.instanceId,
      version: entry.version,
      seq: entry.seq,
      at,
      state: task.value,
      plan_v: entry.version,
      standing_v: entry.version,
      progress_v: entry.version,
      detail_v: entry.version,
      plan: json.plan,
      standing: json.standing,
      progress: json.progress,
      detail: json.detail,
    };
    if (latest !== undefined) {
      for (const group of GROUPS) {
        if (json[group] !== latest.json[group]) continue;
        holder[group] = latest.holder[group];
        row[group] = null;
      }
      row.plan_v = holder.plan;
      row.standing_v = holder.standing;
      row.progress_v = holder.progress;
      row.detail_v = holder.detail;
    }
    return { row, latest: { task, version: entry.version, at, json, holder } };
  }

  /** The task's latest version: from memory, or read back from its rows. */
  private async latest(id: string): Promise<Latest | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const row = await this.db.selectFrom('plan_history').selectAll().where('instance_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (row === undefined) return undefined;
    const holder: Record<Group, number> = { plan: Number(row.plan_v), standing: Number(row.standing_v), progress: Number(row.progress_v), detail: Number(row.detail_v) };
    const held = await this.db
      .selectFrom('plan_history')
      .select(['version', 'plan', 'standing', 'progress', 'detail'])
      .where('instance_id', '=', id)
      .where('version', 'in', [...new Set(Object.values(holder))])
      .execute();
    const json = {} as Record<Group, string>;
    for (const group of GROUPS) {
      const text = held.find((h) => Number(h.version) === holder[group])?.[group];
      if (text === null || text === undefined) throw new Error(`plan_history: ${id} version ${holder[group]} lacks its ${group}`);
      json[group] = text;
    }
    const context = { ...JSON.parse(json.plan), ...JSON.parse(json.standing), ...JSON.parse(json.progress), ...JSON.parse(json.detail) } as ReformTaskContext;
    const task: FoldedTask = { value: row.state, status: FINAL_STATES.has(row.state) ? 'done' : 'active', context };
    return { task, version: Number(row.version), at: Number(row.at), json, holder };
  }

  private remember(id: string, latest: Latest): void {
    this.cache.delete(id);
    this.cache.set(id, latest);
    if (this.cache.size > CACHED_TASKS) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** The context's fields as the JSON of each group (keys in the context's order). Pure. */
function groupsOf(context: ReformTaskContext): Record<Group, string> {
  const groups: Record<Group, Record<string, unknown>> = { plan: {}, standing: {}, progress: {}, detail: {} };
  for (const [field, value] of Object.entries(context)) groups[groupOf(field)][field] = value;
  return { plan: JSON.stringify(groups.plan), standing: JSON.stringify(groups.standing), progress: JSON.stringify(groups.progress), detail: JSON.stringify(groups.detail) };
}
