import type { Dialect, InstanceRecord } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** Between two rows appended in plan order (SQLite): room for 24 halvings, and for 2^29 appended rows before a rowid leaves a double's exact integers. */
const SPACING = 2 ** 24;
/** A row placed between two others leaves at most this much room below it, so a run of rows added after one (a plan's new tasks, before the next plan's) finds room for 4,096. */
const STEP = 2 ** 12;

/** A task's search row as written: its place in plan order and its text in two parts (on PostgreSQL stored joined, in `body`). */
export interface SearchRow {
  readonly task_id: string;
  readonly plan_id: string;
  readonly number: number;
  /** The task's own text (`ownText`). */
  readonly body: string;
  /** Its latest progress and report (`latestText`). */
  readonly latest: string;
}

/** The text of a task a keyword search looks through: number, part, measure, text, units, latest progress and report — `ownText`, a line break, `latestText`. Pure. */
export function searchText(task: ReformTaskContext): string {
  return `${ownText(task)}\n${latestText(task)}`;
}

/** What a task says of itself, changed only by an amendment, a reassignment or a plan: number, part, measure, text, units, one a line. Pure. */
export function ownText(task: ReformTaskContext): string {
  return [String(task.number), task.part, task.measure, task.text, task.leadUnits.join('、'), task.responsibleUnits.join('、')].join('\n');
}

/** What changes with each report: the latest progress line, then the latest report's, one a line. Pure. */
export function latestText(task: ReformTaskContext): string {
  return `${task.lastProgress?.summary ?? ''}\n${task.lastReport?.summary ?? ''}`;
}

/**
 * Writes (or rewrites, when it changed) the search rows of reform tasks `records`, on `db` — a
 * transaction's in the commit hook — with each task's place in plan order (0016). On SQLite the row's
 * rowid follows plan order (the FTS5 indexes read their matches in rowid order): a new row, or one whose
 * plan or number changed, takes a rowid between its neighbours', and when none is free every row is
 * laid out again; a row whose latest progress or report alone changed rewrites only that column, which
 * re-indexes only its short line (0020). PostgreSQL keeps the whole text in `body`. Does IO.
 */
export async function indexTasks(db: Kysely<ServerDatabase>, dialect: Dialect, records: readonly InstanceRecord[]): Promise<void> {
  const tasks = records.filter((record) => record.workflowId === 'reform-task');
  if (tasks.length === 0) return;
  if (dialect === 'postgres') {
    const rows = tasks.map((record) => {
      const task = record.snapshot.context as ReformTaskContext;
      return { task_id: record.id, plan_id: task.planId, number: task.number, body: searchText(task) };
    });
    // Written only where the text or the place changed (the WHERE below): an URGE leaves the row and its GIN entries alone.
    await db
      .insertInto('task_search')
      .values(rows)
      .onConflict((conflict) =>
        conflict
          .column('task_id')
          .doUpdateSet({ body: (eb) => eb.ref('excluded.body'), plan_id: (eb) => eb.ref('excluded.plan_id'), number: (eb) => eb.ref('excluded.number') })
          .where((eb) => eb.or([eb('task_search.body', '<>', eb.ref('excluded.body')), eb('task_search.plan_id', '<>', eb.ref('excluded.plan_id')), eb('task_search.number', '<>', eb.ref('excluded.number'))])),
      )
      .execute();
    return;
  }
  const rows = tasks.map((record) => rowOf(record.id, record.snapshot.context as ReformTaskContext));
  const stored = new Map(
    (await sql<SearchRow>`SELECT task_id, plan_id, number, body, latest FROM task_search WHERE task_id IN (${sql.join(rows.map((row) => row.task_id))})`.execute(db)).rows.map((row) => [row.task_id, row]),
  );
  const placed: SearchRow[] = [];
  for (const row of rows) {
    const before = stored.get(row.task_id);
    if (before === undefined || before.plan_id !== row.plan_id || before.number !== row.number) placed.push(row);
    else if (before.body !== row.body) await sql`UPDATE task_search SET body = ${row.body}, latest = ${row.latest} WHERE task_id = ${row.task_id}`.execute(db);
    else if (before.latest !== row.latest) await sql`UPDATE task_search SET latest = ${row.latest} WHERE task_id = ${row.task_id}`.execute(db);
  }
  if (placed.length === 0) return;
  // The common case, a whole index written or a plan imported: rows after every row there is, in plan order, each appended.
  placed.sort(compareRows);
  const last = await sql<{ rowid: number; after: number }>`SELECT rowid, (plan_id, number, task_id) < (${placed[0]!.plan_id}, ${placed[0]!.number}, ${placed[0]!.task_id}) AS after FROM task_search ORDER BY rowid DESC LIMIT 1`.execute(db);
  const tail = last.rows[0];
  if (tail === undefined || (tail.after === 1 && placed.every((row) => !stored.has(row.task_id)))) {
    const from = tail?.rowid ?? 0;
    await db
      .insertInto('task_search')
      .values(placed.map((row, index) => ({ rowid: from + (index + 1) * SPACING, ...row })) as never)
      .execute();
    return;
  }
  for (const row of placed) await place(db, row, stored.has(row.task_id));
}

/**
 * Brings reform task `record`'s search row up to date on `db` (a transition's transaction) when the row
 * as stored is known to be `before` — the row its previous version wrote, remembered by the caller —
 * without reading it: nothing when its text and place are unchanged, one short UPDATE when only its
 * latest lines changed (a PROGRESS), `indexTasks` otherwise. Returns the row now stored. Does IO.
 */
export async function indexKnownTask(db: Kysely<ServerDatabase>, dialect: Dialect, record: InstanceRecord, before: SearchRow): Promise<SearchRow> {
  const row = searchRowOf(record);
  if (row.plan_id !== before.plan_id || row.number !== before.number || row.body !== before.body) await indexTasks(db, dialect, [record]);
  else if (row.latest === before.latest) return row;
  else if (dialect === 'postgres') await sql`UPDATE task_search SET body = ${searchText(record.snapshot.context as ReformTaskContext)} WHERE task_id = ${row.task_id}`.execute(db);
  else await sql`UPDATE task_search SET latest = ${row.latest} WHERE task_id = ${row.task_id}`.execute(db);
  return row;
}

/** The search row of reform task `record`, as `indexTasks` writes it. Pure. */
export function searchRowOf(record: InstanceRecord): SearchRow {
  return rowOf(record.id, record.snapshot.context as ReformTaskContext);
}

/** Writes `row` (already stored when `exists`, at a place that is no longer its own) at a rowid between its neighbours' in plan order. */
async function place(db: Kysely<ServerDatabase>, row: SearchRow, exists: boolean): Promise<void> {
  let rowid = await freeRowid(db, row);
  if (rowid === undefined) {
    await layOut(db);
    rowid = (await freeRowid(db, row))!;
  }
  if (exists) await sql`UPDATE task_search SET rowid = ${rowid}, plan_id = ${row.plan_id}, number = ${row.number}, body = ${row.body}, latest = ${row.latest} WHERE task_id = ${row.task_id}`.execute(db);
  else await db.insertInto('task_search').values({ rowid, ...row } as never).execute();
}

/** A rowid between those of the rows just before and just after `row` in plan order (itself left out); undefined when they are adjacent. */
async function freeRowid(db: Kysely<ServerDatabase>, row: SearchRow): Promise<number | undefined> {
  const key = sql`(${row.plan_id}, ${row.number}, ${row.task_id})`;
  const below = await sql<{ rowid: number }>`SELECT rowid FROM task_search WHERE (plan_id, number, task_id) < ${key} AND task_id <> ${row.task_id} ORDER BY plan_id DESC, number DESC, task_id DESC LIMIT 1`.execute(db);
  const above = await sql<{ rowid: number }>`SELECT rowid FROM task_search WHERE (plan_id, number, task_id) > ${key} AND task_id <> ${row.task_id} ORDER BY plan_id, number, task_id LIMIT 1`.execute(db);
  const low = below.rows[0]?.rowid ?? 0;
  const high = above.rows[0]?.rowid;
  if (high === undefined) return low + SPACING;
  if (high - low < 2) return undefined;
  return low + Math.min(STEP, Math.floor((high - low) / 2));
}

/** Every row at a rowid `SPACING` apart, in plan order: rare (no room left between two neighbours), and as slow as writing the index again. */
async function layOut(db: Kysely<ServerDatabase>): Promise<void> {
  // Through negative rowids first: the new rowids would otherwise meet old ones mid-way.
  await sql`UPDATE task_search SET rowid = -ranked.place FROM (SELECT task_id, row_number() OVER (ORDER BY plan_id, number, task_id) AS place FROM task_search) AS ranked WHERE ranked.task_id = task_search.task_id`.execute(db);
  await sql`UPDATE task_search SET rowid = -rowid * ${SPACING}`.execute(db);
}

function rowOf(taskId: string, task: ReformTaskContext): SearchRow {
  return { task_id: taskId, plan_id: task.planId, number: task.number, body: ownText(task), latest: latestText(task) };
}

/** Plan order, as `comparePlanOrder` has it: plan id, number, task id (code-point order, as SQLite's BINARY collation). Pure. */
function compareRows(a: SearchRow, b: SearchRow): number {
  return compareText(a.plan_id, b.plan_id) || a.number - b.number || compareText(a.task_id, b.task_id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
