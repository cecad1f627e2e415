import type { DatabaseIntrospector } from 'kysely';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { CurrentSchemaIntrospector } from './current-schema-introspector.ts';
import type { Database } from './schema.ts';

/** PostgreSQL as kysely speaks it, with schema questions (the migrators') kept to the connection's schema. */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

/** Opens a pool to a PostgreSQL database for the store. This is the only file that knows `pg`. */
export function openPostgres(url: string, options: { poolSize?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  return new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
}
