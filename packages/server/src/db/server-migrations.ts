import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { Migrator } from 'kysely/migration';
import { notificationMigration } from './migrations/0004-notifications.ts';

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
    '0002-access-log': {
      // Who read what through the API (reviewers, the office, admins): beside the audit chain, not in it.
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
    },
    '0003-web-session': {
      // Sign-in sessions of the web pages: the cookie's id is stored only as its SHA-256.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('web_session')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('token_id', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('web_session_expires_at').on('web_session').column('expires_at').execute();
      },
    },
    // Notifications to units, their webhooks and the webhook outbox (notifications/notification-migration.ts).
    '0004-notifications': notificationMigration(dialect),
    '0005-scale-out-rate-limit': {
      // Requests per token in the current window, shared by every server on the database (db-rate-limiter.ts).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('rate_limit_window')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('window_start', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}

/** Brings the server's tables up to date (idempotent; safe with several servers on one database). */
export async function migrateServerSchema(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // On PostgreSQL the schema is named: kysely's migrator otherwise takes a server_migration table in ANY schema for ours.
  const schema = dialect === 'postgres' ? (await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema ?? undefined : undefined;
  const migrator = new Migrator({
    db,
    provider: serverMigrations(dialect),
    migrationTableName: 'server_migration',
    migrationLockTableName: 'server_migration_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw new Error('server database migration failed', { cause: error });
}
