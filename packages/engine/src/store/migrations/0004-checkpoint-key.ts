import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The one key that signs the log's checkpoints, recorded by the first signer (insert-if-absent on
 * the primary key), so that a server with another key is refused rather than sign beside it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('checkpoint_key')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('key_name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .execute();
}
