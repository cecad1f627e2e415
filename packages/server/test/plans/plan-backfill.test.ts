import { Engine, openStore } from '@duban/engine';
import { reformTaskV1 } from '@duban/reform-task';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { repoPaths } from '../../src/app/repo-paths.ts';
import { migrateServerSchema, serverMigrationFiles } from '../../src/db/server-migrations.ts';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { PlanRecords } from '../../src/plans/plan-records.ts';
import { PlanImporter } from '../../src/plans/plan-importer.ts';
import { readUnitsFile } from '@duban/plan';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';

describe('migration 0009 on a database with plans already imported', () => {
  it('given the Karamay plan imported before plans were records, when the database is migrated, then the plan is backfilled from its tasks and its tasks keep their inputs', async () => {
    const store = await openStore(await freshDatabase());
    try {
      // The server's tables as they stood before 0009.
      const before = Object.fromEntries(Object.entries(serverMigrationFiles).filter(([name]) => name < '0009').map(([name, make]) => [name, make(store.dialect)]));
      const schema = store.dialect === 'postgres' ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(store.kysely)).rows[0]?.schema : undefined;
      const migrator = new Migrator({ db: store.kysely, provider: { getMigrations: async () => before }, migrationTableName: 'server_migration', migrationLockTableName: 'server_migration_lock', ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const engine = new Engine(store, [reformTaskV1]);
      const { plan, planId } = await loadPlanFile(repoPaths.samplePlan);
      const units = readUnitsFile(repoPaths.unitsFile);
      await importPlan(engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units });

      await migrateServerSchema(store.kysely, store.dialect);

      const records = new PlanRecords(store.kysely as never);
      expect(await records.get(planId)).toEqual({
        id: planId, title: planId, year: null, issuer: null, importedAt: '2023-05-10T01:00:00.000Z', importedBy: 'admin',
        warningLeadDays: 3, escalateAfterDays: 30, lateFromImport: false, sourceName: null, sourceSha256: null, active: true,
      });
      expect((await records.list()).map((p) => [p.id, p.tasks])).toEqual([[planId, 71]]);
      // Imported again as serve --plan does, years later: its tasks are the same (no late-import grace added), nothing new, no conflict.
      const again = await new PlanImporter(engine, records, { registry: units, refresh: async () => {} }, { settle: () => Promise.reject(new Error('no unit is settled here')) }).ensure(plan, planId, new Date('2026-01-01T00:00:00Z'), undefined);
      expect([again.created.length, again.existing.length]).toEqual([0, 71]);
    } finally {
      await store.close();
    }
  });
});
