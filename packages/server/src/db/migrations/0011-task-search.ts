import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0011-task-search (the office's workbench): `bulk_request`, the first answer of each
 * bulk request by its caller's Idempotency-Key (`tasks/send-bulk.ts`), and the text a keyword search looks through, one row a task
 * (`task_search`: its number, text, measure, part, units and latest progress and report), kept
 * current in each transition's transaction (`tasks/search-index-hook.ts`).
 *
 * SQLite: an FTS5 index with the trigram tokenizer over the rows (external content, kept in step by
 * triggers), so a substring of three characters or more — Chinese included — is found through the
 * index. PostgreSQL: a GIN `pg_trgm` index for `ILIKE '%…%'`; where the extension cannot be created
 * (not installed, no privilege) the migration still succeeds without that index, and searches scan
 * the table (the server says so when it opens: `TaskSearch.describe`). Landed migrations are never edited.
 */
export function taskSearchMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bulk_request')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      if (dialect === 'postgres') {
        await db.schema
          .createTable('task_search')
          .addColumn('task_id', 'text', (c) => c.primaryKey())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        // An exception block is a subtransaction: a refused CREATE EXTENSION leaves the migration's transaction usable.
        // In `public` where there is one: an extension belongs to one schema of the database and goes when that schema is
        // dropped, taking every other schema's index on its operator class with it (a database of several duban schemas).
        await sql`DO $$ BEGIN
          BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
          EXCEPTION WHEN OTHERS THEN
            BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm unavailable (%): task search scans', SQLERRM; END;
          END;
        END $$`.execute(db);
        // The operator class by its schema: the extension may live in a schema outside the search path.
        await sql`DO $$ DECLARE trgm text; BEGIN
          SELECT n.nspname INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
          IF trgm IS NOT NULL THEN EXECUTE format('CREATE INDEX task_search_trgm ON task_search USING gin (body %I.gin_trgm_ops)', trgm); END IF;
        END $$`.execute(db);
        return;
      }
      await sql`CREATE TABLE task_search (rowid INTEGER PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)`.execute(db);
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
