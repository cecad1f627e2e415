import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import type { SyncSqlite } from './sqlite-statements.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

/** A SQLite connection as the store uses it beside kysely: for synchronous statements, and its file. */
export interface SqliteConnection {
  readonly sync: SyncSqlite;
  /** The database file, absolute; undefined for `:memory:`. */
  readonly file: string | undefined;
}

/** A SQLite database opened for the store: kysely over it, and the same connection. */
export interface OpenedSqlite extends SqliteConnection {
  readonly kysely: Kysely<Database>;
}

/**
 * Opens (creating if needed) a SQLite database file for the store: WAL journal, synchronous=FULL
 * (an acknowledged commit survives power loss), foreign keys on, and a busy timeout. The settings
 * are read back and checked: a database that will not take them is refused.
 * This is the only file that knows better-sqlite3.
 */
export function openSqlite(file: string): OpenedSqlite {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const journal = String(db.pragma('journal_mode', { simple: true }));
    const synchronous = Number(db.pragma('synchronous', { simple: true }));
    if (file !== ':memory:' && journal !== 'wal') throw new Error(`SQLite ${file}: journal_mode is ${journal}, expected wal`);
    if (synchronous !== 2) throw new Error(`SQLite ${file}: synchronous is ${synchronous}, expected 2 (FULL)`);
  } catch (error) {
    db.close();
    throw error;
  }
  const absolute = file === ':memory:' ? undefined : resolve(file);
  // The WAL's checkpoints off the event loop, for group commits (WalSync).
  const checkpointer = absolute === undefined ? undefined : WalCheckpointer.open(absolute, DRIVER, (pages) => db.pragma(`wal_autocheckpoint = ${pages}`));
  const cached = withStatementCache(db, () => checkpointer?.close());
  return { kysely: new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) }), sync: cached, file: absolute };
}

/** Where better-sqlite3 loads from, for the checkpoint thread's own connection (WalCheckpointer). */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * kysely prepares every query anew; preparing costs more than running our small statements. Queries are
 * serialized on this one connection and each statement is run to completion, so reusing one is safe.
 */
function withStatementCache(db: BetterSqlite3.Database, beforeClose: () => void) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      // Any other connection of ours closed first: this one's close, the last, checkpoints and removes the WAL.
      beforeClose();
      db.close();
    },
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        // Ad hoc SQL (IN lists of varying length, migrations) must not grow the cache without bound.
        if (cache.size < 500) cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Whether an error from the SQLite driver means "try again later" rather than a bug. */
export function isSqliteUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code);
}
