import type { Dialect, Engine, InstanceRecord } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** The longest search text accepted: a search is a few words, not a document. */
export const SEARCH_TEXT_MAX = 100;

/** Shorter than this, the trigram index cannot help: the rows are scanned with LIKE. */
const TRIGRAM = 3;
const INDEX_PAGE = 500;

/** The text of a task a keyword search looks through: number, part, measure, text, units, latest progress and report. Pure. */
export function searchText(task: ReformTaskContext): string {
  return [
    String(task.number),
    task.part,
    task.measure,
    task.text,
    task.leadUnits.join('、'),
    task.responsibleUnits.join('、'),
    task.lastProgress?.summary ?? '',
    task.lastReport?.summary ?? '',
  ].join('\n');
}

/** `text` as a LIKE pattern matching it anywhere, with `\` escaping the wildcards. Pure. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `text` as one FTS5 string: plain text whatever it holds (quotes doubled, so `"`, `*`, `NEAR(` are characters). Pure. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * Keyword search over the tasks' text (migration 0011): substring search that works for Chinese,
 * through SQLite's FTS5 trigram index or PostgreSQL's `pg_trgm`, and a scan with LIKE for texts of one
 * or two characters, which a trigram index cannot hold. Rows are written in each transition's
 * transaction (`indexTask`, from the commit hook); tasks stored without it (before the migration, or
 * written in bulk around the engine) are indexed on the first search. Does IO.
 */
export class TaskSearch {
  private covered = false;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
    private readonly engine: Engine,
  ) {}

  /** The ids of the tasks whose text contains `text` (already trimmed, 1..SEARCH_TEXT_MAX characters), case-insensitive for Latin letters. */
  async matching(text: string, taskIds: readonly string[]): Promise<Set<string>> {
    await this.cover(taskIds);
    const pattern = containsPattern(text);
    if (this.dialect === 'postgres') {
      const rows = await sql<{ task_id: string }>`SELECT task_id FROM task_search WHERE body ILIKE ${pattern} ESCAPE '\\'`.execute(this.db);
      return new Set(rows.rows.map((row) => row.task_id));
    }
    const rows =
      [...text].length >= TRIGRAM
        ? await sql<{ task_id: string }>`SELECT s.task_id FROM task_search_fts f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts MATCH ${ftsPhrase(text)}`.execute(this.db)
        : await sql<{ task_id: string }>`SELECT task_id FROM task_search WHERE body LIKE ${pattern} ESCAPE '\\'`.execute(this.db);
    return new Set(rows.rows.map((row) => row.task_id));
  }

  /** How searches run on this database, for the server's start-up log: through an index, or by a scan (pg_trgm missing). */
  async describe(): Promise<{ indexed: boolean; message: string }> {
    if (this.dialect === 'sqlite') return { indexed: true, message: 'task search: SQLite FTS5 trigram index' };
    const found = await sql<{ name: string | null }>`SELECT to_regclass('task_search_trgm')::text AS name`.execute(this.db);
    return found.rows[0]?.name == null
      ? { indexed: false, message: 'task search: the pg_trgm extension is unavailable (CREATE EXTENSION pg_trgm as a superuser, then restart); searches scan the task_search table' }
      : { indexed: true, message: 'task search: PostgreSQL pg_trgm GIN index' };
  }

  /** Indexes every task of `taskIds` that has no row yet (once per process: the commit hook keeps rows current after). */
  private async cover(taskIds: readonly string[]): Promise<void> {
    if (this.covered) return;
    const counted = await this.db.selectFrom('task_search').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    if (Number(counted.n) < taskIds.length) {
      const have = new Set((await this.db.selectFrom('task_search').select('task_id').execute()).map((row) => row.task_id));
      const missing = taskIds.filter((id) => !have.has(id));
      for (let start = 0; start < missing.length; start += INDEX_PAGE) {
        const records = await this.engine.getInstances(missing.slice(start, start + INDEX_PAGE));
        await indexTasks(this.db, records);
      }
    }
    this.covered = true;
  }
}

/** Writes (or rewrites, when it changed) the search rows of reform tasks `records`, on `db` — a transaction's in the commit hook. Does IO. */
export async function indexTasks(db: Kysely<ServerDatabase>, records: readonly InstanceRecord[]): Promise<void> {
  const rows = records.filter((record) => record.workflowId === 'reform-task').map((record) => ({ task_id: record.id, body: searchText(record.snapshot.context as ReformTaskContext) }));
  if (rows.length === 0) return;
  await db
    .insertInto('task_search')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .column('task_id')
        .doUpdateSet({ body: (eb) => eb.ref('excluded.body') })
        .whereRef('task_search.body', '<>', 'excluded.body'),
    )
    .execute();
}
