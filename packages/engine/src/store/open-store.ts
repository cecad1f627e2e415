import { KyselyStore } from './kysely-store.ts';
import { openSqlite } from './sqlite.ts';

/** Whether a `--db` value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Opens the store at `location`: a `postgres://` URL or a SQLite file path (`:memory:` for tests),
 * and brings its schema up to date.
 */
export async function openStore(location: string): Promise<KyselyStore> {
  if (isPostgresUrl(location)) {
    // Loaded only when asked for: `pg` costs every SQLite start (and every CLI call) a second.
    const { openPostgres } = await import('./postgres.ts');
    return KyselyStore.open(openPostgres(location), 'postgres');
  }
  return KyselyStore.open(openSqlite(location), 'sqlite');
}
