import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0010-single-sign-on: sign-in through an OpenID provider (sso/). `sso_link` ties an
 * identity of a provider (its issuer and the subject it names the person by) to the account it signed
 * in as the first time, so a login-name claim later handed to someone else cannot open that account;
 * `sso_pending` holds a sign-in on its way through the provider (state, nonce, PKCE verifier), keyed by
 * the SHA-256 of the browser's cookie, used once; `web_session.via` says how a session was opened
 * (`password`, `code`, `token`, `sso`; null before this migration). Landed migrations are never edited.
 */
export function singleSignOnMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sso_link')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('account_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sso_link_pk', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('sso_link_account_id').on('sso_link').column('account_id').execute();
      await db.schema
        .createTable('sso_pending')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('next', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('web_session').addColumn('via', 'text').execute();
    },
  };
}
