import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0017-file-incoming: `file_incoming` names each upload whose chunks are being
 * written and not yet kept (`file_content.chunks_key`), with when it started, so that the chunks a
 * killed server left behind can be found and removed once old enough (files/abandoned-uploads.ts).
 * `abandoned_at` is set when a sweep claims an upload: from then on the upload can no longer be kept,
 * and its removal goes on in later rounds if one is cut short. Chunks written before this migration
 * that no content names are listed with no start (`started_at` NULL): the first sweep gives them its
 * own time, so they go one safe age later, like any upload found in progress. The index on
 * `file_content.chunks_key` lets a sweep check, before each delete, that no kept file names the chunks.
 * Landed migrations are never edited.
 */
export function fileIncomingMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('file_incoming')
        .addColumn('chunks_key', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'text')
        .addColumn('abandoned_at', 'text')
        .execute();
      await db.schema.createIndex('file_incoming_started').on('file_incoming').columns(['started_at']).execute();
      await db.schema.createIndex('file_content_chunks_key').on('file_content').columns(['chunks_key']).execute();
      await sql`INSERT INTO file_incoming (chunks_key) SELECT DISTINCT content_key FROM file_chunk WHERE NOT EXISTS (SELECT 1 FROM file_content WHERE file_content.chunks_key = file_chunk.content_key)`.execute(db);
    },
  };
}
