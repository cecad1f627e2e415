import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Server migration 0003-web-session: the `web_session` table. Sign-in sessions of the web pages: the cookie's id is stored only as its SHA-256. Landed: never edited. */
export function webSessionMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('web_session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('token_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('web_session_expires_at').on('web_session').column('expires_at').execute();
    },
  };
}
