import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Server migration 0002-access-log: the `access_log` table. Who read what through the API (reviewers, the office, admins): beside the audit chain, not in it. Landed: never edited. */
export function accessLogMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('access_log')
        .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('token_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
