import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { Migrator } from 'kysely/migration';
import { apiTokenMigration } from './migrations/0001-api-token.ts';
import { accessLogMigration } from './migrations/0002-access-log.ts';
import { webSessionMigration } from './migrations/0003-web-session.ts';
import { notificationsMigration } from './migrations/0004-notifications.ts';
import { rateLimitMigration } from './migrations/0005-scale-out-rate-limit.ts';
import { accountsMigration } from './migrations/0006-accounts.ts';
import { filesMigration } from './migrations/0007-files.ts';
import { unitsMigration } from './migrations/0008-units.ts';
import { plansMigration } from './migrations/0009-plans.ts';
import { singleSignOnMigration } from './migrations/0010-single-sign-on.ts';
import { taskSearchMigration } from './migrations/0011-task-search.ts';
import { noticeChannelsMigration } from './migrations/0012-notice-channels.ts';
import { leadersAndCircularsMigration } from './migrations/0013-leaders-and-circulars.ts';
import { fileChunksKeyMigration } from './migrations/0014-file-chunks-key.ts';
import { reportingCyclesMigration } from './migrations/0015-reporting-cycles.ts';
import { taskSearchOrderMigration } from './migrations/0016-0030/0016-task-search-order.ts';
import { fileIncomingMigration } from './migrations/0016-0030/0017-file-incoming.ts';
import { planHistoryMigration } from './migrations/0016-0030/0018-plan-history.ts';
import { cycleSchedulesMigration } from './migrations/0016-0030/0019-cycle-schedules.ts';
import { taskSearchLatestMigration } from './migrations/0016-0030/0020-task-search-latest.ts';
import { reportModelCheckpointMigration } from './migrations/0016-0030/0021-report-model-checkpoint.ts';

/**
 * The server's migrations, one file each in migrations/, by the name its databases recorded. A
 * migration that has landed is never edited (test/db/migrations.test.ts holds their hashes): add a new one.
 * From 0016 on they go in folders of fifteen (`migrations/0016-0030/`): no folder holds more than fifteen files.
 */
export const serverMigrationFiles: Readonly<Record<string, (dialect: Dialect) => Migration>> = {
  '0001-api-token': apiTokenMigration,
  '0002-access-log': accessLogMigration,
  '0003-web-session': webSessionMigration,
  '0004-notifications': notificationsMigration,
  '0005-scale-out-rate-limit': rateLimitMigration,
  '0006-accounts': accountsMigration,
  '0007-files': filesMigration,
  '0008-units': unitsMigration,
  '0009-plans': plansMigration,
  '0010-single-sign-on': singleSignOnMigration,
  '0011-task-search': taskSearchMigration,
  '0012-notice-channels': noticeChannelsMigration,
  '0013-leaders-and-circulars': leadersAndCircularsMigration,
  '0014-file-chunks-key': fileChunksKeyMigration,
  '0015-reporting-cycles': reportingCyclesMigration,
  '0016-task-search-order': taskSearchOrderMigration,
  '0017-file-incoming': fileIncomingMigration,
  '0018-plan-history': planHistoryMigration,
  '0019-cycle-schedules': cycleSchedulesMigration,
  '0020-task-search-latest': taskSearchLatestMigration,
  '0021-report-model-checkpoint': reportModelCheckpointMigration,
};

function serverMigrations(dialect: Dialect): MigrationProvider {
  const migrations = Object.fromEntries(Object.entries(serverMigrationFiles).map(([name, make]) => [name, make(dialect)]));
  return { getMigrations: async () => migrations };
}

/**
 * Brings the server's tables (beside the engine's, with their own migration table) up to date.
 * Idempotent; safe with several servers on one database. Does IO.
 */
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
