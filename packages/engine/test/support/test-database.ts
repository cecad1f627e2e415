import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { openPostgres } from '../../src/store/postgres.ts';

/**
 * Test-only: which database the suites run on. `DUBAN_TEST_DB=postgres` (the vitest project `postgres`)
 * runs them on the PostgreSQL server at `DUBAN_TEST_PG_URL`, each engine in a fresh schema of its own;
 * otherwise they run on SQLite. `.ci/postgres.sh` starts a throwaway server and sets the URL.
 */
export const onPostgres = process.env['DUBAN_TEST_DB'] === 'postgres';

/** The PostgreSQL server the tests may use, or undefined (then PostgreSQL-only tests skip). */
export const postgresUrl: string | undefined = process.env['DUBAN_TEST_PG_URL'] || undefined;

/** Why PostgreSQL-only tests are skipped, for their describe titles. */
export const postgresSkipReason = postgresUrl === undefined ? ' (skipped: DUBAN_TEST_PG_URL is not set; see docs/DEPLOYMENT.md)' : '';

/** Every schema a test run creates starts with this, so a run's leftovers are easy to drop. */
export const SCHEMA_PREFIX = 'duban_t_';

let admin: Kysely<any> | undefined;

/** A connection to the test server itself (its default schema), for test set-up and tampering. */
export function postgresAdmin(): Kysely<any> {
  if (postgresUrl === undefined) throw new Error('DUBAN_TEST_PG_URL is not set: start a server with .ci/postgres.sh');
  admin ??= openPostgres(postgresUrl, { poolSize: 2 });
  return admin;
}

/** Schemas made by this test file, dropped after it (postgres-setup.ts). */
const created: string[] = [];

/** A new, empty schema on the test server; its URL selects it through `search_path`. */
export async function freshPostgresSchema(): Promise<string> {
  const schema = `${SCHEMA_PREFIX}${randomBytes(6).toString('hex')}`;
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(postgresAdmin());
  created.push(schema);
  return inSchema(postgresUrl!, schema);
}

/**
 * Drops the schemas this test file made. Each engine's migration reads the catalogue of every schema, so
 * keeping a whole run's schemas until the end would make every later engine slower to open.
 */
export async function dropCreatedSchemas(): Promise<void> {
  if (admin === undefined) return;
  for (const schema of created.splice(0)) await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin);
  await admin.destroy();
  admin = undefined;
}

/** The URL of `schema` on the server at `url`. */
export function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** The schema a URL made by `inSchema` selects. */
export function schemaOf(url: string): string {
  const match = /search_path=(\w+)/.exec(new URL(url).searchParams.get('options') ?? '');
  if (match === null) throw new Error(`${url} selects no schema`);
  return match[1]!;
}

/** A fresh, empty database for one engine: `:memory:` SQLite, or a new schema on PostgreSQL. */
export async function freshDatabase(): Promise<string> {
  return onPostgres ? freshPostgresSchema() : ':memory:';
}

/** A fresh database that can be closed and opened again: a temporary SQLite file, or a new schema. */
export async function reopenableDatabase(): Promise<string> {
  return onPostgres ? freshPostgresSchema() : join(mkdtempSync(join(tmpdir(), 'duban-test-')), 'test.db');
}
