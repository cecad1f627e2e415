import { sql } from 'kysely';
import { openPostgres } from '../../src/store/postgres.ts';
import { SCHEMA_PREFIX } from './test-database.ts';

/**
 * vitest globalSetup of the `postgres` project: after the run, drops the schemas the tests made on the
 * server at DUBAN_TEST_PG_URL (every test engine gets one), so a developer's test database does not fill up.
 */
export default function setup(): () => Promise<void> {
  return async () => {
    const url = process.env['DUBAN_TEST_PG_URL'];
    if (!url) return;
    const db = openPostgres(url, { poolSize: 1 });
    try {
      const { rows } = await sql<{ nspname: string }>`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${SCHEMA_PREFIX})`.execute(db);
      for (const { nspname } of rows) await sql`DROP SCHEMA ${sql.id(nspname)} CASCADE`.execute(db);
    } finally {
      await db.destroy();
    }
  };
}
