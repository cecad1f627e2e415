import type { CommitHook, Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { indexTasks } from './search-rows.ts';

/**
 * The engine's commit hook for keyword search: the task's search row written with the transition's
 * own transaction (`tx.kysely`) on a database of `dialect`, so the index never lags the task nor
 * keeps a refused change. Rewritten only when the searched text or the task's place in plan order
 * changed (an URGE changes neither). `next`, if given, runs after it in the same transaction. Does IO only through `tx`.
 */
export function searchIndexHook(dialect: Dialect, next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    await indexTasks(tx.kysely as Kysely<ServerDatabase>, dialect, [committed.instance]);
    await next?.(tx, committed);
  };
}
