import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0006-accounts: people's accounts (accounts/account-store.ts), their one-time
 * password-reset codes, and the owner of a session, a token and a read: `account` and
 * `account_reset`; `web_session.account_id` and `.address` (a session of an account has token_id 0),
 * `api_token.account_id` and `.expires_at`, `access_log.account_id`. Landed: never edited.
 */
export function accountsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('account')
        .addColumn('id', 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('email', 'text')
        .addColumn('unit', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('must_change', 'integer', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account_reset')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.alterTable('web_session').addColumn('account_id', 'integer').execute();
      await db.schema.alterTable('web_session').addColumn('address', 'text').execute();
      await db.schema.createIndex('web_session_account_id').on('web_session').column('account_id').execute();
      await db.schema.alterTable('api_token').addColumn('account_id', 'integer').execute();
      await db.schema.alterTable('api_token').addColumn('expires_at', 'text').execute();
      await db.schema.alterTable('access_log').addColumn('account_id', 'integer').execute();
    },
  };
}
