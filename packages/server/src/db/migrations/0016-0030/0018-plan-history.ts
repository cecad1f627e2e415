import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0018-plan-history: the plan's past, derived from the audit log and rebuildable
 * from it (never read by `audit verify`). `plan_history`: one row per reform-task entry (its task,
 * version, seq and time, its state), each task's context as four groups of fields — the plan's
 * fields, the standing the reports read, the latest progress line and the rest the ledger reads —
 * written as JSON only in the row where the group changed; `plan_v`, `standing_v`, `progress_v`,
 * `detail_v` name the version whose row holds each (a progress line writes only its own).
 * The task as of an instant is its latest row at or before it (index `plan_history_at`) and up to four
 * rows by primary key (SQLite keeps the rows in that key's tree: WITHOUT ROWID); the tasks are read along their first rows (partial index `plan_history_tasks`). `plan_history_state`: how far the log is folded in (seq) and whether some
 * task's entries were ever stamped out of order (then past views fold the log instead).
 * Landed migrations are never edited.
 */
export function planHistoryMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('plan_history')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('plan_v', 'integer', (c) => c.notNull())
        .addColumn('standing_v', 'integer', (c) => c.notNull())
        .addColumn('progress_v', 'integer', (c) => c.notNull())
        .addColumn('detail_v', 'integer', (c) => c.notNull())
        .addColumn('plan', 'text')
        .addColumn('standing', 'text')
        .addColumn('progress', 'text')
        .addColumn('detail', 'text')
        .addPrimaryKeyConstraint('plan_history_pk', ['instance_id', 'version'])
        // SQLite: the rows in their primary key's tree, so a lookup by task and version is one descent, not two.
        .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
        .execute();
      await db.schema.createIndex('plan_history_at').on('plan_history').columns(['instance_id', 'at', 'version']).execute();
      // Each task's first row: the tasks that existed at an instant, in id order.
      await db.schema.createIndex('plan_history_tasks').on('plan_history').columns(['instance_id', 'at']).where(sql.ref('version'), '=', 1).execute();
      await db.schema
        .createTable('plan_history_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('unordered', 'integer', (c) => c.notNull())
        .execute();
      await db.insertInto('plan_history_state').values({ id: 1, seq: 0, unordered: 0 }).execute();
    },
  };
}
