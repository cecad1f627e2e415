import type { DatabaseIntrospector, PostgresPool, PostgresPoolClient } from 'kysely';
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
  return new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: preparingPool(pool) }) });
}

/** How many distinct statements are kept prepared on each connection; later ones are parsed each time. */
const PREPARED_LIMIT = 200;
/** A statement with more parameters than this (a long IN list, a many-row insert) is rarely repeated: not prepared. */
const PREPARED_MAX_PARAMETERS = 64;

/**
 * `pool`, whose connections run the statements a store repeats (those with parameters: a transition's,
 * the commit hooks') as named prepared statements: PostgreSQL parses and plans each once per
 * connection, not on every run. A statement reading `*` is left unnamed, so that a column added by a
 * later migration can never meet a plan prepared before it ("cached plan must not change result type").
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string, parameters: number): string | undefined => {
    if (parameters === 0 || parameters > PREPARED_MAX_PARAMETERS || text.includes('*')) return undefined;
    let name = names.get(text);
    if (name === undefined && names.size < PREPARED_LIMIT) {
      name = `duban_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  const preparing = new WeakSet<pg.PoolClient>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      if (!preparing.has(client)) {
        preparing.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        client.query = ((text: unknown, values?: unknown) => {
          const name = typeof text === 'string' && Array.isArray(values) ? nameOf(text, values.length) : undefined;
          return name === undefined ? query(text, values) : query({ name, text, values });
        }) as typeof client.query;
      }
      return client as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
    options: pool.options,
  };
}
