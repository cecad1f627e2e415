import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0007-files: evidence files (佐证材料) stored content-addressed by SHA-256 in the
 * database, so several servers share them. `file_content` is one row a distinct file, `file_chunk`
 * its bytes in order (written while the upload streams, under a provisional key until the hash is
 * known), `file_upload` who uploaded which file under which name. Landed migrations are never edited.
 */
export function filesMigration(dialect: Dialect): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('file_content')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', bigint, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('crc32', bigint, (c) => c.notNull())
        .addColumn('chunks', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('file_chunk')
        .addColumn('content_key', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('file_chunk_pk', ['content_key', 'n'])
        .execute();
      await db.schema
        .createTable('file_upload')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('unit', 'text')
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('file_upload_sha256').on('file_upload').columns(['sha256']).execute();
    },
  };
}
