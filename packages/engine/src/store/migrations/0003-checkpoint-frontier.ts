import type { Kysely } from 'kysely';

/**
 * The Merkle frontier at each checkpoint (JSON array of subtree roots), so a process resumes
 * from the latest one instead of hashing the whole log again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('checkpoint').addColumn('frontier', 'text').execute();
}
