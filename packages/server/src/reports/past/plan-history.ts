import type { Engine, LeanEntry } from '@duban/engine';
import { CREATE_EVENT } from '@duban/engine';
import { foldActorTypes, foldPayloadTypes, foldReformTask } from '@duban/reform-task';
import type { FoldedTask, ReformTaskContext, ReformTaskSnapshot } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../../db/server-tables.ts';
import type { ReportTask, TaskFacts } from '../report-task.ts';
import { comparePlanOrder } from '../report-task.ts';
import { FactsTimeline } from './facts-timeline.ts';
import type { HistoryGroup } from './history-groups.ts';
import { HISTORY_GROUPS, historyGroupOf } from './history-groups.ts';

const AUDIT_PAGE = 2000;
const READ_PAGE = 2000;
/** Rows read at a time when the timeline of facts is first built from the history (small pages: less garbage outlives a page). */
const TIMELINE_PAGE = 2000;
/** Entries written by another server beyond which the timeline is built again rather than followed row by row. */
const REBUILD_AFTER = 50_000;
/** Tasks whose latest version the fold keeps in memory between pages (the others are read back from their rows). */
const CACHED_TASKS = 5000;
const FINAL_STATES: ReadonlySet<string> = new Set(['closed', 'accountability', 'cancelled']);

type Group = HistoryGroup;
const GROUPS = HISTORY_GROUPS;
const groupOf = historyGroupOf;

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
 * as four groups written only when they changed. The facts as of an instant come from memory (a
 * FactsTimeline built from the rows and extended with each page); whole tasks as of an instant are one
 * indexed read: each task's latest row at or before it. The rows are rebuilt from the log when missing (a new
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
   * Every task's facts at each of its versions, in memory (FactsTimeline): built from the rows by the
   * first catch-up after a past view asked for it (`wanted`), then extended with each page written, so a view of
   * the facts as of an instant reads no row. Undefined until built, and again when it cannot follow.
   */
  private timeline: FactsTimeline | undefined;
  /**
   * Whether a past view has asked for the timeline: until then catch-ups write rows only. Building it reads
   * every row (seconds at 2,000,000 entries, the connection and the event loop busy meanwhile), which a
   * start must not impose on the requests of people who never look at a past day.
   */
  private wanted = false;
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
    return (await this.builtTimeline()).factsAt(at);
  }

  /** Whole tasks (every field of their context) as of `at` (epoch ms), in plan order. */
  async tasks(at: number): Promise<ReportTask[]> {
    const tasks: ReportTask[] = [];
    await this.read(at, (task) => tasks.push(task));
    return tasks.sort(comparePlanOrder);
  }

  /** The tasks `ids` whole as of `at` (epoch ms), in plan order (those that did not exist yet left out): a piece of a ledger. */
  async tasksOf(at: number, ids: readonly string[]): Promise<ReportTask[]> {
    const tasks: ReportTask[] = [];
    if (ids.length > 0) await this.read(at, (task) => tasks.push(task), ids);
    return tasks.sort(comparePlanOrder);
  }

  /** The timeline of facts, built first when missing (by a catch-up, so that no page is written meanwhile). */
  private async builtTimeline(): Promise<FactsTimeline> {
    this.wanted = true;
    if (this.timeline === undefined) await this.catchUp();
    if (this.timeline === undefined) throw new Error('plan_history: no timeline of facts (the history cannot answer past views)');
    return this.timeline;
  }

  private async read(at: number, each: (task: ReportTask) => void, ids?: readonly string[]): Promise<void> {
    const timeline = await this.builtTimeline();
    for (let after = ''; ; ) {
      const rows = await sql<{ instance_id: string; version: number | string; at: number | string; assigned_at: number | string; state: string; plan_v: number | string; standing: string; progress: string | null; detail: string | null }>`
        SELECT h.instance_id, h.version, h.at, c.at AS assigned_at, h.state, h.plan_v,
          (SELECT s.standing FROM plan_history s WHERE s.instance_id = h.instance_id AND s.version = h.standing_v) AS standing,
          (SELECT g.progress FROM plan_history g WHERE g.instance_id = h.instance_id AND g.version = h.progress_v) AS progress,
          (SELECT d.detail FROM plan_history d WHERE d.instance_id = h.instance_id AND d.version = h.detail_v) AS detail
        FROM plan_history c
        JOIN plan_history h ON h.instance_id = c.instance_id AND h.version = (
          SELECT l.version FROM plan_history l WHERE l.instance_id = c.instance_id AND l.at <= ${at} ORDER BY l.at DESC, l.version DESC LIMIT 1)
        WHERE c.version = 1 AND c.at <= ${at} AND c.instance_id > ${after} ${ids === undefined ? sql`` : sql`AND c.instance_id IN (${sql.join(ids)})`}
        ORDER BY c.instance_id
        LIMIT ${READ_PAGE}`.execute(this.db);
      // The plan group from the timeline (it holds each version's, parsed once); read only where another server wrote it since.
      const plans = await this.plansOf(timeline, rows.rows.map((row) => ({ id: row.instance_id, version: Number(row.plan_v) })));
      for (const [index, row] of rows.rows.entries()) {
        const plan = plans[index]!;
        const context = Object.assign({}, plan, JSON.parse(row.standing), row.progress === null ? undefined : JSON.parse(row.progress), row.detail === null ? undefined : JSON.parse(row.detail)) as ReformTaskContext;
        const snapshot = { value: row.state, status: FINAL_STATES.has(row.state) ? 'done' : 'active', context } as unknown as ReformTaskSnapshot;
        each({ id: row.instance_id, version: Number(row.version), snapshot, task: context, assignedAt: Number(row.assigned_at), changedAt: Number(row.at) });
      }
      if (rows.rows.length < READ_PAGE) return;
      after = rows.rows[rows.rows.length - 1]!.instance_id;
    }
  }

  /** Each task's plan group at its version: from the timeline, else (rows written since by another server) from its row. */
  private async plansOf(timeline: FactsTimeline, wanted: readonly { id: string; version: number }[]): Promise<Readonly<Record<string, unknown>>[]> {
    const plans = wanted.map(({ id, version }) => timeline.planAt(id, version));
    const missing = wanted.filter((_, index) => plans[index] === undefined);
    if (missing.length === 0) return plans as Readonly<Record<string, unknown>>[];
    const rows = await sql<{ instance_id: string; version: number | string; plan: string | null }>`
      SELECT instance_id, version, plan FROM plan_history
      WHERE (instance_id, version) IN (${sql.join(missing.map(({ id, version }) => sql`(${id}, ${version})`))})`.execute(this.db);
    const read = new Map(rows.rows.map((row) => [`${row.instance_id}/${Number(row.version)}`, row.plan]));
    return wanted.map(({ id, version }, index) => {
      const plan = plans[index] ?? read.get(`${id}/${version}`);
      if (plan === undefined || plan === null) throw new Error(`plan_history: ${id} version ${version} lacks its plan`);
      return typeof plan === 'string' ? (JSON.parse(plan) as Record<string, unknown>) : plan;
    });
  }

  private async readTail(): Promise<boolean> {
    for (;;) {
      const state = await this.db.selectFrom('plan_history_state').select(['seq', 'unordered']).where('id', '=', 1).executeTakeFirstOrThrow();
      const from = Number(state.seq);
      // The timeline follows the rows: those another server wrote since are read back (or, when many, it is built again).
      if (state.unordered !== 0 || (this.timeline !== undefined && from - this.timeline.seq > REBUILD_AFTER)) this.timeline = undefined;
      if (this.timeline !== undefined && this.timeline.seq < from) await this.followRows(this.timeline, from);
      const page = await this.engine.readLean(from, AUDIT_PAGE, foldPayloadTypes, foldActorTypes);
      if (page.length === 0) {
        if (state.unordered !== 0) return false;
        if (this.wanted) this.timeline ??= await this.buildTimeline(from);
        return true;
      }
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
        if (unordered) this.timeline = undefined;
        else if (this.timeline !== undefined) {
          for (const row of rows) addRow(this.timeline, row);
          this.timeline.seq = to;
        }
      } else {
        this.cache.clear();
      }
      this.onProgress?.(to);
    }
  }

  /**
   * The timeline of facts from every row (task after task in key order; the rows' JSON parsed once, the
   * progress and detail never read). `seq`: how far the history had reached before the first row was read.
   */
  private async buildTimeline(seq: number): Promise<FactsTimeline> {
    const timeline = new FactsTimeline(seq);
    for (let after: { id: string; version: number } | undefined; ; ) {
      const rows = await sql<{ instance_id: string; version: number | string; at: number | string; state: string; plan: string | null; standing: string | null }>`
        SELECT instance_id, version, at, state, plan, standing FROM plan_history
        ${after === undefined ? sql`` : sql`WHERE (instance_id, version) > (${after.id}, ${after.version})`}
        ORDER BY instance_id, version
        LIMIT ${TIMELINE_PAGE}`.execute(this.db);
      for (const row of rows.rows) addRow(timeline, row);
      if (rows.rows.length < TIMELINE_PAGE) break;
      const last = rows.rows[rows.rows.length - 1]!;
      after = { id: last.instance_id, version: Number(last.version) };
    }
    timeline.endPacking();
    return timeline;
  }

  /** Adds to `timeline` the rows of the entries after its seq up to `to` (written by another server), in log order. */
  private async followRows(timeline: FactsTimeline, to: number): Promise<void> {
    for (let seq = timeline.seq; seq < to; ) {
      const page = (await this.engine.readLean(seq, AUDIT_PAGE, [])).filter((entry) => entry.seq <= to);
      if (page.length === 0) break;
      // Row values, not 2,000 ORs (SQLite nests an OR chain deeper than its expression limit).
      const rows = await sql<{ instance_id: string; version: number | string; at: number | string; state: string; plan: string | null; standing: string | null }>`
        SELECT instance_id, version, at, state, plan, standing FROM plan_history
        WHERE (instance_id, version) IN (${sql.join(page.map((entry) => sql`(${entry.instanceId}, ${entry.version})`))})`.execute(this.db);
      const held = new Map(rows.rows.map((row) => [`${row.instance_id}/${Number(row.version)}`, row]));
      for (const entry of page) {
        const row = held.get(`${entry.instanceId}/${entry.version}`);
        if (row !== undefined) addRow(timeline, row);
      }
      seq = page[page.length - 1]!.seq;
    }
    timeline.seq = to;
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

/** Adds a history row's version to the timeline, its groups parsed. */
function addRow(timeline: FactsTimeline, row: { instance_id: string; version: number | string; at: number | string; state: string; plan: string | null; standing: string | null }): void {
  const parse = (json: string | null) => (json === null ? undefined : (JSON.parse(json) as Record<string, unknown>));
  timeline.add(row.instance_id, Number(row.version), Number(row.at), row.state, parse(row.plan), parse(row.standing));
}

/** The context's fields as the JSON of each group (keys in the context's order). Pure. */
function groupsOf(context: ReformTaskContext): Record<Group, string> {
  const groups: Record<Group, Record<string, unknown>> = { plan: {}, standing: {}, progress: {}, detail: {} };
  for (const [field, value] of Object.entries(context)) groups[groupOf(field)][field] = value;
  return { plan: JSON.stringify(groups.plan), standing: JSON.stringify(groups.standing), progress: JSON.stringify(groups.progress), detail: JSON.stringify(groups.detail) };
}
