import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect as KyselyDialect } from 'kysely';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationsFor, schemaMigrations } from '../src/store/migrations.ts';
import type { Dialect } from '../src/store/store.ts';

/**
 * A migration that has landed is never edited: databases out there have run it, and will not run it
 * again. Each one's SQL, as it compiles for each dialect, is recorded here by its hash. A new migration
 * adds a line; a change to an old one fails this test (write a new migration instead).
 */
const landed: Readonly<Record<string, Readonly<Record<Dialect, string>>>> = {
  '0001-initial': {
    sqlite: '813defc573280f2623df86151ab377efcc241bdf276d7eaf083d520d31d0733b',
    postgres: 'c65ccc3ca7ca6e61ed45abccf670283825c8063061540b40ebfbf370469f9f4b',
  },
  '0002-checkpoints': {
    sqlite: 'b9321aa24d1a954c986dc3feb0fe6d93d1662c4d2e5985ce4cff08393001007e',
    postgres: '480f48cd56e54f3551a5e938a387e9e92814443f526e6191163dac8ebb123b00',
  },
  '0003-checkpoint-frontier': {
    sqlite: 'c8897a7ab5edb2e853a1a0a300252906343adc98008ac71a00c7e62bcf8f9fca',
    postgres: 'c8897a7ab5edb2e853a1a0a300252906343adc98008ac71a00c7e62bcf8f9fca',
  },
  '0004-checkpoint-key': {
    sqlite: 'bd88b1231f7a0a21b0d1af39bdb38aed796f25f46195f0a74f74d2d5b149e674',
    postgres: 'bd88b1231f7a0a21b0d1af39bdb38aed796f25f46195f0a74f74d2d5b149e674',
  },
};

/** A database that runs nothing: kysely compiles each statement for `dialect` and hands it to us. */
function recorder(dialect: Dialect): { db: Kysely<any>; statements: { sql: string; parameters: readonly unknown[] }[] } {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const kyselyDialect: KyselyDialect =
    dialect === 'sqlite'
      ? { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() }
      : { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() };
  const db = new Kysely<any>({ dialect: kyselyDialect, log: (event) => void statements.push({ sql: event.query.sql, parameters: event.query.parameters }) });
  return { db, statements };
}

async function sqlHash(name: string, dialect: Dialect): Promise<string> {
  const migration = (await migrationsFor(dialect).getMigrations())[name];
  if (migration === undefined) throw new Error(`no migration ${name}`);
  const { db, statements } = recorder(dialect);
  await migration.up(db);
  await db.destroy();
  return createHash('sha256').update(JSON.stringify(statements)).digest('hex');
}

describe('schema migrations', () => {
  it('are listed in order, one a file under store/migrations, named after it', () => {
    const names = schemaMigrations.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    const files = readdirSync(join(import.meta.dirname, '..', 'src', 'store', 'migrations')).map((f) => f.replace(/\.ts$/, ''));
    expect(names).toEqual(files.sort());
    for (const name of names) expect(name).toMatch(/^\d{4}-[a-z0-9-]+$/);
  });

  it('each have a recorded hash: a new migration adds its line to `landed`', () => {
    expect(schemaMigrations.map((m) => m.name)).toEqual(Object.keys(landed));
  });

  it.each(Object.keys(landed).flatMap((name) => (['sqlite', 'postgres'] as const).map((dialect) => [name, dialect] as const)))(
    'once landed never change: %s on %s runs the SQL it ran when it landed',
    async (name, dialect) => {
      expect(await sqlHash(name, dialect), `${name} on ${dialect} changed: write a new migration instead`).toBe(landed[name]![dialect]);
    },
  );
});
