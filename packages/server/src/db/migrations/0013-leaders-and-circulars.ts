import type { Dialect } from '@duban/engine';
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0013-leaders-and-circulars: a person's watch list (`task_watch`, 关注) and the
 * register of issued circulars (`circular_issue`, 发文登记): one row a circular with its number (文号),
 * unique per prefix, year and sequence, who issued it when, the period, the SHA-256 of the issued
 * content and the content itself, chained by hash to the row before. Landed migrations are never edited.
 */
export function leadersAndCircularsMigration(dialect: Dialect): Migration {
  const id = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('task_watch')
        .addColumn('account_id', 'integer', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('task_watch_pk', ['account_id', 'task_id'])
        .execute();

      await db.schema
        .createTable('circular_issue')
        .addColumn('id', 'integer', id)
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('content_sha256', 'text', (c) => c.notNull())
        .addColumn('units', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('issued_by_role', 'text', (c) => c.notNull())
        .addColumn('issued_by_account', 'integer')
        .addColumn('issued_by_name', 'text')
        .addColumn('caller_key', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        // Numbers never repeat, whatever the wording of the prefix.
        .addUniqueConstraint('circular_issue_sequence', ['prefix', 'year', 'sequence'])
        .addUniqueConstraint('circular_issue_idempotency', ['caller_key', 'idempotency_key'])
        .execute();
    },
  };
}
