import { UsageError } from './usage-error.ts';

/** `--db`, else DATABASE_URL: a SQLite file or a `postgres://` URL; a usage error when neither is given. */
export function databaseOption(value: string | undefined): string {
  const db = value ?? process.env['DATABASE_URL'];
  if (db === undefined || db === '') throw new UsageError('--db is required (or set DATABASE_URL)');
  return db;
}
