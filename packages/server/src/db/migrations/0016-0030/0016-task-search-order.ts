import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0016-task-search-order: each search row (0011) also holds its task's place in plan
 * order (plan id, then number; the task id breaks ties), so a keyword search can walk its matches in
 * the list's default order and stop at the first page instead of finding every match first
 * (`tasks/task-search.ts`).
 *
 * SQLite: the row's rowid — which is the FTS5 index's — follows plan order (`tasks/search-rows.ts`
 * keeps it so), so `MATCH … ORDER BY rowid LIMIT n` reads only the first page's matches. The table is
 * made anew (a rowid cannot be given to rows in place without rewriting them all): its rows are
 * written again on the first search, as for tasks stored before 0011. PostgreSQL: the key in columns
 * with the "C" collation (code-point order, as the server compares them) and an index on it; the
 * rows are emptied to be written again the same way, with their keys.
 * Landed migrations are never edited.
 */
export function taskSearchOrderMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') {
        await sql`DELETE FROM task_search`.execute(db);
        await sql`ALTER TABLE task_search ADD COLUMN plan_id text COLLATE "C" NOT NULL, ADD COLUMN number integer NOT NULL`.execute(db);
        await sql`CREATE INDEX task_search_plan_order ON task_search (plan_id, number, (task_id COLLATE "C"))`.execute(db);
        return;
      }
      await sql`DROP TABLE task_search_fts`.execute(db);
      await sql`DROP TABLE task_search`.execute(db);
      await sql`CREATE TABLE task_search (rowid INTEGER PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, plan_id TEXT NOT NULL, number INTEGER NOT NULL, body TEXT NOT NULL)`.execute(db);
      await sql`CREATE INDEX task_search_plan_order ON task_search (plan_id, number, task_id)`.execute(db);
      await sql`CREATE VIRTUAL TABLE task_search_fts USING fts5(body, content='task_search', content_rowid='rowid', tokenize='trigram')`.execute(db);
      await sql`CREATE TRIGGER task_search_ai AFTER INSERT ON task_search BEGIN INSERT INTO task_search_fts(rowid, body) VALUES (new.rowid, new.body); END`.execute(db);
      await sql`CREATE TRIGGER task_search_ad AFTER DELETE ON task_search BEGIN INSERT INTO task_search_fts(task_search_fts, rowid, body) VALUES ('delete', old.rowid, old.body); END`.execute(db);
      await sql`CREATE TRIGGER task_search_au AFTER UPDATE ON task_search BEGIN
        INSERT INTO task_search_fts(task_search_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
        INSERT INTO task_search_fts(rowid, body) VALUES (new.rowid, new.body);
      END`.execute(db);
    },
  };
}
