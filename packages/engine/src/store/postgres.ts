import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** Opens a pool to a PostgreSQL database for the store. This is the only file that knows `pg`. */
export function openPostgres(url: string, options: { poolSize?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
