import type { Dialect, Engine } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { indexTasks } from './search-rows.ts';

/** The longest search text accepted: a search is a few words, not a document. */
export const SEARCH_TEXT_MAX = 100;

/** Shorter than this, the trigram index cannot help: the rows are scanned with LIKE. */
const TRIGRAM = 3;
const INDEX_PAGE = 500;

/** `text` as a LIKE pattern matching it anywhere, with `\` escaping the wildcards. Pure. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `text` as one FTS5 string: plain text whatever it holds (quotes doubled, so `"`, `*`, `NEAR(` are characters). Pure. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** A task's place in plan order, as its search row holds it: plan id, number, then id. */
export interface PlanPlace {
  readonly id: string;
  readonly planId: string;
  readonly number: number;
}

/**
 * Whether SQLite's trigram indexes can find `text`: three characters or more, and no line break — the
 * row's own text and its latest lines are indexed apart (0020), and only a text holding the line break
 * between them can match across the two. Pure.
 */
function indexable(text: string): boolean {
  return [...text].length >= TRIGRAM && !text.includes('\n');
}

/** The rows holding `text` by a scan (SQLite): in either column, or across the line break joining them (see `searchText`). */
function sqliteScan(text: string) {
  const pattern = containsPattern(text);
  return text.includes('\n') ? sql`(s.body || char(10) || s.latest) LIKE ${pattern} ESCAPE '\\'` : sql`(s.body LIKE ${pattern} ESCAPE '\\' OR s.latest LIKE ${pattern} ESCAPE '\\')`;
}

/** Matches read per query while walking them in plan order: the first piece a page and one more, each next one twice the last, up to this. */
const WALK_PIECE_MAX = 4000;

/**
 * Keyword search over the tasks' text (migrations 0011, 0016 and 0020): substring search that works for
 * Chinese, through SQLite's FTS5 trigram indexes (the task's own text, and apart its latest progress and
 * report lines) or PostgreSQL's `pg_trgm`, and a scan with LIKE for texts of one or two characters,
 * which a trigram index cannot hold. Rows are written in each
 * transition's transaction (`indexTasks`, from the commit hook), each with its task's place in plan
 * order; tasks stored without it (before the migrations, or written in bulk around the engine) are
 * indexed on the first search. Does IO.
 */
export class TaskSearch {
  private covered = false;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
    private readonly engine: Engine,
  ) {}

  /** The ids of the tasks whose text contains `text` (already trimmed, 1..SEARCH_TEXT_MAX characters), case-insensitive for Latin letters; `tasks`, every task there is, to index those not yet indexed. */
  async matching(text: string, tasks: readonly { readonly id: string }[]): Promise<Set<string>> {
    await this.cover(tasks);
    const pattern = containsPattern(text);
    if (this.dialect === 'postgres') {
      const rows = await sql<{ task_id: string }>`SELECT task_id FROM task_search WHERE body ILIKE ${pattern} ESCAPE '\\'`.execute(this.db);
      return new Set(rows.rows.map((row) => row.task_id));
    }
    const rows = !indexable(text)
      ? await sql<{ task_id: string }>`SELECT s.task_id FROM task_search s WHERE ${sqliteScan(text)}`.execute(this.db)
      : await sql<{ task_id: string }>`SELECT s.task_id FROM task_search_fts f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts MATCH ${ftsPhrase(text)}
          UNION SELECT s.task_id FROM task_search_fts_latest f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts_latest MATCH ${ftsPhrase(text)}`.execute(this.db);
    return new Set(rows.rows.map((row) => row.task_id));
  }

  /**
   * The tasks whose text contains `text` (as `matching`), in plan order — reversed when `descending` —
   * and after the task at `after` when given, piece by piece: the first piece `first` long, each next
   * one longer. The caller stops when it has its page, and the index reads no further: on SQLite the
   * FTS5 index walks its matches in rowid order, which is plan order (0016); on PostgreSQL an index on
   * the place serves the order. Does IO.
   */
  async *inPlanOrder(text: string, tasks: readonly { readonly id: string }[], options: { readonly after?: PlanPlace | undefined; readonly descending?: boolean; readonly first: number }): AsyncGenerator<PlanPlace[]> {
    await this.cover(tasks);
    const descending = options.descending === true;
    let size = Math.max(1, options.first);
    if (this.dialect === 'postgres') {
      let after = options.after;
      for (;;) {
        const piece = await this.postgresPiece(containsPattern(text), after, descending, size);
        if (piece.length > 0) yield piece;
        if (piece.length < size) return;
        after = piece[piece.length - 1];
        size = Math.min(WALK_PIECE_MAX, size * 2);
      }
    }
    let bound = await this.rowidBound(options.after, descending);
    for (;;) {
      const piece = await this.sqlitePiece(text, bound, descending, size);
      if (piece.length > 0) yield piece.map(({ rowid: _, ...place }) => place);
      if (piece.length < size) return;
      bound = piece[piece.length - 1]!.rowid;
      size = Math.min(WALK_PIECE_MAX, size * 2);
    }
  }

  /** How searches run on this database, for the server's start-up log: through an index, or by a scan (pg_trgm missing). */
  async describe(): Promise<{ indexed: boolean; message: string }> {
    if (this.dialect === 'sqlite') return { indexed: true, message: 'task search: SQLite FTS5 trigram index' };
    const found = await sql<{ name: string | null }>`SELECT to_regclass('task_search_trgm')::text AS name`.execute(this.db);
    return found.rows[0]?.name == null
      ? { indexed: false, message: 'task search: the pg_trgm extension is unavailable (CREATE EXTENSION pg_trgm as a superuser, then restart); searches scan the task_search table' }
      : { indexed: true, message: 'task search: PostgreSQL pg_trgm GIN index' };
  }

  /** The rowid a walk starts beyond (SQLite): that of the last row at or before `after` in the walk's direction; past every row without one. */
  private async rowidBound(after: PlanPlace | undefined, descending: boolean): Promise<number> {
    if (after === undefined) return descending ? Number.MAX_SAFE_INTEGER : 0;
    const key = sql`(${after.planId}, ${after.number}, ${after.id})`;
    const found = descending
      ? await sql<{ rowid: number }>`SELECT rowid FROM task_search WHERE (plan_id, number, task_id) >= ${key} ORDER BY plan_id, number, task_id LIMIT 1`.execute(this.db)
      : await sql<{ rowid: number }>`SELECT rowid FROM task_search WHERE (plan_id, number, task_id) <= ${key} ORDER BY plan_id DESC, number DESC, task_id DESC LIMIT 1`.execute(this.db);
    return found.rows[0]?.rowid ?? (descending ? Number.MAX_SAFE_INTEGER : 0);
  }

  /**
   * Up to `size` matches beyond rowid `bound`, in rowid order (SQLite): those of the task's own text and
   * those of its latest lines (0020), each index walked in rowid order up to `size`, merged, the first
   * `size` kept — a match of either index beyond the last one kept lies after it in plan order too.
   */
  private async sqlitePiece(text: string, bound: number, descending: boolean, size: number): Promise<(PlanPlace & { rowid: number })[]> {
    const columns = sql`s.rowid AS rowid, s.task_id AS id, s.plan_id AS "planId", s.number AS number`;
    if (!indexable(text)) {
      const beyond = descending ? sql`s.rowid < ${bound} ORDER BY s.rowid DESC` : sql`s.rowid > ${bound} ORDER BY s.rowid`;
      return (await sql<PlanPlace & { rowid: number }>`SELECT ${columns} FROM task_search s WHERE ${sqliteScan(text)} AND ${beyond} LIMIT ${size}`.execute(this.db)).rows;
    }
    // The bound and the order on the FTS5 table's rowid, not the joined table's: only then does the index walk its matches in order and stop at the limit.
    const beyond = descending ? sql`f.rowid < ${bound} ORDER BY f.rowid DESC` : sql`f.rowid > ${bound} ORDER BY f.rowid`;
    const own = await sql<PlanPlace & { rowid: number }>`SELECT ${columns} FROM task_search_fts f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts MATCH ${ftsPhrase(text)} AND ${beyond} LIMIT ${size}`.execute(this.db);
    const latest = await sql<PlanPlace & { rowid: number }>`SELECT ${columns} FROM task_search_fts_latest f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts_latest MATCH ${ftsPhrase(text)} AND ${beyond} LIMIT ${size}`.execute(this.db);
    if (latest.rows.length === 0) return own.rows;
    const merged = new Map([...own.rows, ...latest.rows].map((row) => [row.rowid, row]));
    return [...merged.values()].sort((a, b) => (descending ? b.rowid - a.rowid : a.rowid - b.rowid)).slice(0, size);
  }

  /** Up to `size` matches of `pattern` after `after` in plan order (PostgreSQL, the key in the "C" collation, as the server compares it). */
  private async postgresPiece(pattern: string, after: PlanPlace | undefined, descending: boolean, size: number): Promise<PlanPlace[]> {
    const key = sql`(plan_id, number, task_id COLLATE "C")`;
    const beyond = after === undefined ? sql`TRUE` : descending ? sql`${key} < (${after.planId}, ${after.number}, ${after.id})` : sql`${key} > (${after.planId}, ${after.number}, ${after.id})`;
    const order = descending ? sql`ORDER BY plan_id DESC, number DESC, task_id COLLATE "C" DESC` : sql`ORDER BY plan_id, number, task_id COLLATE "C"`;
    const rows = await sql<PlanPlace>`SELECT task_id AS id, plan_id AS "planId", number FROM task_search WHERE body ILIKE ${pattern} ESCAPE '\\' AND ${beyond} ${order} LIMIT ${size}`.execute(this.db);
    return rows.rows;
  }

  /** Indexes every task of `tasks` that has no row yet (once per process: the commit hook keeps rows current after). */
  private async cover(tasks: readonly { readonly id: string }[]): Promise<void> {
    if (this.covered) return;
    const counted = await this.db.selectFrom('task_search').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    if (Number(counted.n) < tasks.length) {
      const have = new Set((await this.db.selectFrom('task_search').select('task_id').execute()).map((row) => row.task_id));
      const missing = tasks.map((task) => task.id).filter((id) => !have.has(id));
      for (let start = 0; start < missing.length; start += INDEX_PAGE) {
        const records = await this.engine.getInstances(missing.slice(start, start + INDEX_PAGE));
        await this.db.transaction().execute((tx) => indexTasks(tx, this.dialect, records));
      }
    }
    this.covered = true;
  }
}
