import type { Dialect } from '@duban/engine';
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0012-notice-channels: the channels a unit's notices also go out by (`notice_channel`:
 * its mailbox, its 企业微信 and 钉钉 group robots, which kinds of notice each takes), the persons who want
 * their unit's notices by e-mail (`notice_person`), and the outbox of those sends with its delivery log
 * (`notice_delivery`). Landed migrations are never edited.
 */
export function noticeChannelsMigration(dialect: Dialect): Migration {
  const id = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notice_channel')
        .addColumn('id', 'integer', id)
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('secret', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('kinds', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('notice_channel_unit_channel', ['unit', 'channel'])
        .execute();
      await db.schema
        .createTable('notice_person')
        .addColumn('account_id', 'integer', (c) => c.primaryKey())
        .addColumn('email', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('notice_delivery')
        .addColumn('id', 'integer', id)
        .addColumn('notification_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'integer')
        .addColumn('account_id', 'integer')
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Once per notice per channel and address, however often the commit hook runs.
        .addUniqueConstraint('notice_delivery_once', ['notification_id', 'channel', 'recipient'])
        .execute();
      await db.schema.createIndex('notice_delivery_due').on('notice_delivery').columns(['status', 'next_attempt_at']).execute();
    },
  };
}
