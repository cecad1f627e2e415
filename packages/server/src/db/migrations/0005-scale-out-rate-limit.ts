import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Server migration 0005-scale-out-rate-limit: the `rate_limit_window` table. Requests per token in the current window, shared by every server on the database (db-rate-limiter.ts). Landed: never edited. */
export function rateLimitMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rate_limit_window')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
