import type { CommitHook } from '@duban/engine';
import type { UnitChange } from '@duban/organisation';
import { organisationV1 } from '@duban/organisation';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { checkUnitChange } from './unit-change-rules.ts';
import { readUnitRecords, writeUnitChange } from './unit-tables.ts';

/**
 * The engine's commit hook for the organisation: a `CHANGE_UNITS` entry's change is checked again
 * against the registry as it stands inside the transaction (the organisation instance's lock orders
 * every change) and written to the unit tables with the entry's own transaction, so the registry
 * and the audit log never disagree: a refusal (a UnitError) rolls back the entry too. `next` runs
 * after it. Does IO only through `tx`.
 */
export function organisationHook(next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    const { instance, entry } = committed;
    if (instance.workflowId === organisationV1.id && entry.type === 'CHANGE_UNITS') {
      const db = tx.kysely as Kysely<ServerDatabase>;
      const { change } = checkUnitChange(await readUnitRecords(db), entry.payload as UnitChange);
      await writeUnitChange(db, change);
    }
    await next?.(tx, committed);
  };
}
