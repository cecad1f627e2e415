import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0021-report-model-checkpoint: the report read model (`CurrentPlan`) as it stood at
 * one seq of the audit log, so that a server starting on a long log loads it and folds only the tail.
 * Derived from the log and rebuildable from it (never read by `audit verify`, never copied by
 * `migrate-db`). `part` 0 is the header (format, seq, that entry's hash, the shared values); parts 1…n
 * hold the model's rows in slices, each a JSON text. Landed migrations are never edited.
 */
export function reportModelCheckpointMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('report_model_checkpoint')
        .addColumn('part', 'integer', (c) => c.primaryKey())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
