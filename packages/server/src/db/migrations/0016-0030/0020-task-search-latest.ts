import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0020-task-search-latest (SQLite only): a search row (0011, 0016) keeps its task's
 * latest progress and report line in a column of its own, `latest`, indexed by a second FTS5 trigram
 * table, `task_search_fts_latest`, beside `task_search_fts`, which now indexes only the task's own text
 * (number, part, measure, text, units). A `PROGRESS` changes only `latest`, so it re-indexes a short line
 * instead of the task's whole text in the transition's transaction; the triggers fire by the columns an
 * UPDATE sets. Both FTS tables share the row's rowid, which follows plan order (0016), so a search walks
 * both in that order (`tasks/task-search.ts`). The table is made anew, as in 0016: its rows are written
 * again on the first search. PostgreSQL keeps one row text (`task_search.body`, pg_trgm): nothing changes.
 * Landed migrations are never edited.
 */
export function taskSearchLatestMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') return;
      await sql`DROP TABLE task_search_fts`.execute(db);
      await sql`DROP TABLE task_search`.execute(db);
      await sql`CREATE TABLE task_search (rowid INTEGER PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, plan_id TEXT NOT NULL, number INTEGER NOT NULL, body TEXT NOT NULL, latest TEXT NOT NULL)`.execute(db);
      await sql`CREATE INDEX task_search_plan_order ON task_search (plan_id, number, task_id)`.execute(db);
      await sql`CREATE VIRTUAL TABLE task_search_fts USING fts5(body, content='task_search', content_rowid='rowid', tokenize='trigram')`.execute(db);
      await sql`CREATE VIRTUAL TABLE task_search_fts_latest USING fts5(latest, content='task_search', content_rowid='rowid', tokenize='trigram')`.execute(db);
      await sql`CREATE TRIGGER task_search_ai AFTER INSERT ON task_search BEGIN
        INSERT INTO task_search_fts(rowid, body) VALUES (new.rowid, new.body);
        INSERT INTO task_search_fts_latest(rowid, latest) VALUES (new.rowid, new.latest);
      END`.execute(db);
      await sql`CREATE TRIGGER task_search_ad AFTER DELETE ON task_search BEGIN
        INSERT INTO task_search_fts(task_search_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
        INSERT INTO task_search_fts_latest(task_search_fts_latest, rowid, latest) VALUES ('delete', old.rowid, old.latest);
      END`.execute(db);
      await sql`CREATE TRIGGER task_search_au_body AFTER UPDATE OF rowid, body ON task_search BEGIN
        INSERT INTO task_search_fts(task_search_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
        INSERT INTO task_search_fts(rowid, body) VALUES (new.rowid, new.body);
      END`.execute(db);
      await sql`CREATE TRIGGER task_search_au_latest AFTER UPDATE OF rowid, latest ON task_search BEGIN
        INSERT INTO task_search_fts_latest(task_search_fts_latest, rowid, latest) VALUES ('delete', old.rowid, old.latest);
        INSERT INTO task_search_fts_latest(rowid, latest) VALUES (new.rowid, new.latest);
      END`.execute(db);
    },
  };
}
