import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { Migrator } from 'kysely/migration';

/**
 * The server's own tables, beside the engine's in the same database, with their own migration
 * table. A migration that has landed is never edited: add a new one.
 */
function serverMigrations(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-api-token': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_token')
          .addColumn('id', 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('unit', 'text')
          .addColumn('label', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}

/** Brings the server's tables up to date (idempotent; safe with several servers on one database). */
export async function migrateServerSchema(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: serverMigrations(dialect),
    migrationTableName: 'server_migration',
    migrationLockTableName: 'server_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw new Error('server database migration failed', { cause: error });
}
