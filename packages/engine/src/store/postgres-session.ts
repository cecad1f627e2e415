import type { Kysely } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import type { Database } from './schema.ts';

// What the store asks of a PostgreSQL session: that it keeps commits, which schema it is in, the chain's lock.

/**
 * Arbitrary constant that names the audit chain's lock on PostgreSQL; the second key is the schema's, so
 * two installations in two schemas of one database do not wait for each other.
 */
const AUDIT_CHAIN_LOCK = 0x64756261;

/**
 * Refuses a PostgreSQL server that may lose acknowledged commits: fsync off, or synchronous_commit off for
 * this connection (the URL's options or the role's settings apply to every connection of the pool alike).
 */
export async function checkDurability(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ fsync: string; commit: string }>`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`.execute(db);
  const settings = rows[0];
  if (settings?.fsync !== 'on') throw new Error(`PostgreSQL runs with fsync=${settings?.fsync}: an acknowledged commit could be lost on power loss; turn fsync on`);
  if (settings.commit === 'off') throw new Error('PostgreSQL synchronous_commit is off for this connection: an acknowledged commit could be lost on a crash; leave it on');
}

/** The connection's current schema (the first of its search_path that exists); an error when there is none. */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === null || schema === undefined) throw new Error('the search_path names no schema that exists: create it first, or fix options=-c search_path=… in the URL');
  return schema;
}

/**
 * BEGIN, then the audit chain's lock until the transaction ends, in one round trip (two statements of
 * one simple query: the lock is taken inside the transaction). Every PostgreSQL write transaction takes
 * it first, so appends from several servers form one chain and no transaction waits for it while
 * holding a row lock. Whatever the transaction reads next is read after the lock is granted.
 */
export const BEGIN_WITH_CHAIN_LOCK = CompiledQuery.raw(`BEGIN; SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(current_schema()))`);
