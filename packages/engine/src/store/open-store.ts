import { KyselyStore } from './kysely-store.ts';
import { openSqlite } from './sqlite.ts';

/** Whether a `--db` value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Opens the store at `location`: a `postgres://` URL or a SQLite file path (`:memory:` for tests),
 * and brings its schema up to date. `poolSize` is the most connections to PostgreSQL (default 10).
 */
export async function openStore(location: string, options: { poolSize?: number } = {}): Promise<KyselyStore> {
  if (isPostgresUrl(location)) {
    // Loaded only when asked for: `pg` costs every SQLite start (and every CLI call) a second.
    const { openPostgres } = await import('./postgres.ts');
    const db = openPostgres(location, options);
    try {
      return await KyselyStore.open(db, 'postgres');
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  const { kysely, sync, file } = openSqlite(location);
  return KyselyStore.open(kysely, 'sqlite', { sync, file });
}
