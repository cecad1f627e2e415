import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as checkpoints from './migrations/0002-checkpoints.ts';
import * as checkpointFrontier from './migrations/0003-checkpoint-frontier.ts';
import * as checkpointKey from './migrations/0004-checkpoint-key.ts';
import type { Dialect } from './store.ts';

/** One schema migration: its name (its file's, `NNNN-what`), and what it does to a database of `dialect`. */
export interface SchemaMigration {
  readonly name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/**
 * Every schema migration, in the order they run, one file each under migrations/. A migration that has
 * landed is never edited (test/migrations.test.ts holds the hash of the SQL each one runs): add a new
 * file and list it here. Dialect-aware only where SQL differs (triggers, integer widths).
 */
export const schemaMigrations: readonly SchemaMigration[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-checkpoints', up: checkpoints.up },
  { name: '0003-checkpoint-frontier', up: checkpointFrontier.up },
  { name: '0004-checkpoint-key', up: checkpointKey.up },
];

/** The migrations as kysely's migrator takes them, for a database of `dialect`. */
export function migrationsFor(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = Object.fromEntries(schemaMigrations.map((m) => [m.name, { up: (db: Kysely<any>) => m.up(db, dialect) }]));
  return { getMigrations: async () => migrations };
}
