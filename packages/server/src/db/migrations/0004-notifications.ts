import type { Dialect } from '@duban/engine';
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0004-notifications: adds notifications (`notification`), outbound webhooks (`webhook`) and
 * their outbox (`webhook_delivery`). Landed migrations are never edited.
 */
export function notificationsMigration(dialect: Dialect): Migration {
  const id = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notification')
        .addColumn('id', 'integer', id)
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('entry_seq', bigint, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('acknowledged_at', 'text')
        // Exactly once per event per unit, however often the commit hook runs.
        .addUniqueConstraint('notification_entry_unit', ['entry_seq', 'unit'])
        .execute();
      await db.schema.createIndex('notification_unit_id').on('notification').columns(['unit', 'id']).execute();

      await db.schema
        .createTable('webhook')
        .addColumn('id', 'integer', id)
        .addColumn('unit', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhook_delivery')
        .addColumn('id', 'integer', id)
        .addColumn('notification_id', 'integer', (c) => c.notNull())
        .addColumn('webhook_id', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_delivery_notification_webhook', ['notification_id', 'webhook_id'])
        .execute();
      await db.schema.createIndex('webhook_delivery_due').on('webhook_delivery').columns(['status', 'next_attempt_at']).execute();
    },
  };
}
