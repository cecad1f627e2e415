import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0014-file-chunks-key: `file_content.chunks_key` names the `file_chunk.content_key`
 * under which a content's bytes are kept. Until now the chunks of an upload were written under
 * `upload:<id>` and then re-keyed to the content's SHA-256, which rewrote every byte a second time;
 * from now on they stay where they were written and the content row points to them. Contents kept
 * before keep theirs under their SHA-256, which the backfill records. Landed migrations are never edited.
 */
export function fileChunksKeyMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      // SQLite adds a NOT NULL column only with a default; every row is then given its real key.
      await db.schema.alterTable('file_content').addColumn('chunks_key', 'text', (c) => c.notNull().defaultTo('')).execute();
      await sql`UPDATE file_content SET chunks_key = sha256`.execute(db);
    },
  };
}
