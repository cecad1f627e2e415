import type { CommitHook } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { indexTasks } from './task-search.ts';

/**
 * The engine's commit hook for keyword search: the task's search row written with the transition's
 * own transaction (`tx.kysely`), so the index never lags the task nor keeps a refused change.
 * Rewritten only when the searched text changed (an URGE changes none). `next`, if given, runs after
 * it in the same transaction. Does IO only through `tx`.
 */
export function searchIndexHook(next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    await indexTasks(tx.kysely as Kysely<ServerDatabase>, [committed.instance]);
    await next?.(tx, committed);
  };
}
