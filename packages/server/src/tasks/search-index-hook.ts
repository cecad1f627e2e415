import type { CommitHook, Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { SearchRow } from './search-rows.ts';
import { indexKnownTask, indexTasks, searchRowOf } from './search-rows.ts';

/** Tasks whose last committed search row the hook remembers: the recently active ones. */
const REMEMBERED = 4096;

/**
 * The engine's commit hook for keyword search: the task's search row written with the transition's
 * own transaction (`tx.kysely`) on a database of `dialect`, so the index never lags the task nor
 * keeps a refused change. Rewritten only when the searched text or the task's place in plan order
 * changed (an URGE changes neither), and then only the part that changed (a PROGRESS rewrites its
 * latest line alone). The row each task's last transition committed is remembered with the
 * instance's version: when a transition's instance is at the next version, the row as stored is
 * exactly that one (every write of an instance raises its version, and writes its row in the same
 * transaction), so the hook writes without reading it — and writes nothing when nothing changed;
 * otherwise (another process wrote the version before, or it was forgotten) it reads the row. Only a
 * committed transaction's row is remembered (`afterCommit`). `next`, if given, runs after it in the
 * same transaction. Does IO only through `tx`.
 */
export function searchIndexHook(dialect: Dialect, next?: CommitHook): CommitHook {
  const remembered = new Map<string, { readonly version: number; readonly row: SearchRow }>();
  const remember = (id: string, version: number, row: SearchRow) => {
    const known = remembered.get(id);
    if (known !== undefined && known.version >= version) return;
    remembered.delete(id);
    remembered.set(id, { version, row });
    if (remembered.size > REMEMBERED) remembered.delete(remembered.keys().next().value!);
  };
  return async (tx, committed) => {
    const { instance } = committed;
    if (instance.workflowId === 'reform-task') {
      const db = tx.kysely as Kysely<ServerDatabase>;
      const known = remembered.get(instance.id);
      let row: SearchRow;
      if (known !== undefined && known.version === instance.version - 1) row = await indexKnownTask(db, dialect, instance, known.row);
      else {
        await indexTasks(db, dialect, [instance]);
        row = searchRowOf(instance);
      }
      tx.afterCommit(() => remember(instance.id, instance.version, row));
    }
    await next?.(tx, committed);
  };
}
