import type { Kysely } from 'kysely';
import { PrecompiledQuery } from './precompiled-query.ts';
import type { AuditLogTable, Database } from './schema.ts';
import type { Dialect } from './store.ts';

const INSTANCE_COLUMNS = ['workflow_id', 'workflow_version', 'state', 'snapshot', 'version', 'created_at', 'updated_at'] as const;
const AUDIT_COLUMNS = ['seq', 'instance_id', 'version', 'type', 'actor', 'payload', 'from_state', 'to_state', 'at', 'prev_hash', 'hash'] as const;

/** The statements every transition runs, compiled once per store. */
export function hotQueries(db: Kysely<Database>, dialect: Dialect) {
  const byId = (id: unknown) => db.selectFrom('workflow_instance').selectAll().where('id', '=', id as string);
  return {
    getInstance: new PrecompiledQuery((arg) => byId(arg('id'))),
    // Held against other writers until the transaction ends: SQLite has one writer; PostgreSQL locks the row.
    lockInstance: new PrecompiledQuery((arg) => (dialect === 'postgres' ? byId(arg('id')).forUpdate() : byId(arg('id')))),
    updateInstance: new PrecompiledQuery((arg) =>
      db
        .updateTable('workflow_instance')
        .set(Object.fromEntries(INSTANCE_COLUMNS.map((column) => [column, arg(column)])))
        .where('id', '=', arg('id'))
        .where('version', '=', arg('expected_version')),
    ),
    /** PostgreSQL, under the chain's lock: the entries appended after `after`, newest first, with whose instance each wrote. */
    entriesSince: new PrecompiledQuery((arg) =>
      db.selectFrom('audit_log').select(['seq', 'hash', 'instance_id']).where('seq', '>', arg('after')).orderBy('seq', 'desc').limit(arg('limit')),
    ),
    chainHead: new PrecompiledQuery(() => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1)),
    appendAudit: new PrecompiledQuery((arg) => db.insertInto('audit_log').values(Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, arg(column)])) as unknown as AuditLogTable)),
  };
}

export type HotQueries = ReturnType<typeof hotQueries>;
