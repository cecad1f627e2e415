import type { Dialect, Engine } from '@duban/engine';
import { defaultReplayWorkers } from '@duban/engine';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { listDataTables } from './database-tables.ts';
import type { DatabaseTable } from './database-tables.ts';
import type { Duban } from '../app/open-duban.ts';
import { UserError } from '../user-error.ts';

/** What a migration copied, table by table, and what the target showed on arrival. */
export interface MigrationReport {
  readonly tables: { readonly name: string; readonly rows: number }[];
  readonly entries: number;
  readonly headHash: string;
  readonly instances: number;
}

const PAGE = 2000;

/** What a long migration tells as it goes: the stage, and how far it is (throwing from it stops the migration, copying nothing). */
export type MigrationProgress = (stage: 'replay' | 'copy', done: number, total: number) => void;

/**
 * Copies every data table of `source` into the empty target that `openTarget` opens (and migrates; any
 * dialects): rows exactly as stored (audit entries keep their seq and hashes), parents before children,
 * in one transaction on the target, read from one snapshot of the source. Refuses a source whose chain or
 * replay is broken (before the target is even opened) and a target that holds any row, having copied
 * nothing. On arrival verifies the target's chain (same entries, same head) and that replay equals its
 * stored states; UserError naming the reason otherwise. Does IO.
 */
export async function migrateDatabase(source: Duban, openTarget: () => Promise<Duban>, labels: { from: string; to: string }, progress?: MigrationProgress): Promise<MigrationReport> {
  const before = await intact(source.engine, `the source ${labels.from}`, progress);
  const target = await openTarget();
  try {
    return await copyInto(source, target, before, labels, progress);
  } finally {
    await target.close();
  }
}

async function copyInto(source: Duban, target: Duban, before: { entries: number; headHash: string }, labels: { from: string; to: string }, progress?: MigrationProgress): Promise<MigrationReport> {
  const sourceDb = source.engine.store.kysely;
  const targetDb = target.engine.store.kysely;
  const tables = await listDataTables(sourceDb, source.engine.store.dialect);
  const targetTables = new Set((await listDataTables(targetDb, target.engine.store.dialect)).map((t) => t.name));
  const unknown = tables.filter((t) => !targetTables.has(t.name)).map((t) => t.name);
  if (unknown.length > 0) throw new UserError(`the source has tables the target does not (${unknown.join(', ')}): is the source from a newer duban?`);
  const occupied: string[] = [];
  for (const name of targetTables) {
    const rows = await countRows(targetDb, name);
    if (rows > 0) occupied.push(`${name}: ${rows}`);
  }
  if (occupied.length > 0) {
    throw new UserError(`the target ${labels.to} is not empty (${occupied.join(', ')}); migrate-db copies into an empty database only, and nothing was copied`);
  }

  const copied = await readSnapshot(sourceDb, source.engine.store.dialect, (from) =>
    targetDb.transaction().execute(async (to) => {
      const counts: { name: string; rows: number }[] = [];
      let copied = 0;
      for (const table of tables) {
        const rows = await copyTable(from, to, table, (rows) => progress?.('copy', copied + rows, before.entries));
        copied += rows;
        counts.push({ name: table.name, rows });
      }
      if (target.engine.store.dialect === 'postgres') for (const table of tables) await advanceSequences(to, table.name);
      return counts;
    }),
  );

  const after = await intact(target.engine, `the copy in ${labels.to}`);
  if (after.entries !== before.entries || after.headHash !== before.headHash) {
    throw new UserError(
      `the copy in ${labels.to} differs from the source: ${after.entries} entries with head ${after.headHash}, the source has ${before.entries} with head ${before.headHash}`,
    );
  }
  return { tables: copied, entries: after.entries, headHash: after.headHash, instances: after.instances };
}

/** The chain verifies and replay equals every stored state, or a UserError saying where it does not. */
async function intact(engine: Engine, what: string, progress?: MigrationProgress): Promise<{ entries: number; headHash: string; instances: number }> {
  const chain = await engine.verify();
  if (!chain.ok) throw new UserError(`${what}: the audit log is broken at seq ${chain.firstBadSeq}: ${chain.reason}; nothing was copied from a broken log`);
  const replay = await engine.replay(undefined, { workers: defaultReplayWorkers(chain.entries), ...(progress === undefined ? {} : { progress: (done: number) => progress('replay', done, chain.entries) }) });
  if (replay.differences.length > 0) {
    const first = replay.differences.slice(0, 3).map((d) => `${d.instanceId}: ${d.reason}`);
    throw new UserError(`${what}: replay differs from the stored state of ${replay.differences.length} instance(s) (${first.join('; ')}${replay.differences.length > 3 ? '; …' : ''})`);
  }
  return { entries: chain.entries, headHash: chain.headHash, instances: replay.instances.length };
}

/** Runs `read` in one read snapshot of the source, so a copy never mixes two moments. */
async function readSnapshot<T>(db: Kysely<any>, dialect: Dialect, read: (snapshot: Transaction<any>) => Promise<T>): Promise<T> {
  // SQLite (WAL) reads one snapshot from a transaction's first read on; PostgreSQL needs REPEATABLE READ.
  const transaction = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only') : db.transaction();
  return transaction.execute(read);
}

async function copyTable(from: Kysely<any>, to: Kysely<any>, table: DatabaseTable, copiedSoFar: (rows: number) => void): Promise<number> {
  let copied = 0;
  for (;;) {
    let page = from.selectFrom(table.name).selectAll();
    for (const column of table.primaryKey) page = page.orderBy(column);
    const rows: Record<string, unknown>[] = table.primaryKey.length === 0 ? await page.execute() : await page.limit(PAGE).offset(copied).execute();
    if (rows.length > 0) {
      // Well under SQLite's and PostgreSQL's limits on bound parameters per statement.
      const perInsert = Math.max(1, Math.floor(5000 / Object.keys(rows[0]!).length));
      for (let i = 0; i < rows.length; i += perInsert) await to.insertInto(table.name).values(rows.slice(i, i + perInsert)).execute();
    }
    copied += rows.length;
    copiedSoFar(copied);
    if (table.primaryKey.length === 0 || rows.length < PAGE) return copied;
  }
}

/** After rows were inserted with their ids, PostgreSQL's id sequences must continue after the highest. */
async function advanceSequences(db: Kysely<any>, table: string): Promise<void> {
  const { rows } = await sql<{ column: string; sequence: string }>`
    SELECT a.attname AS column, pg_get_serial_sequence(quote_ident(${table}), a.attname) AS sequence
    FROM pg_attribute a WHERE a.attrelid = quote_ident(${table})::regclass AND a.attnum > 0 AND NOT a.attisdropped`.execute(db);
  for (const { column, sequence } of rows) {
    if (sequence === null) continue;
    await sql`SELECT setval(${sequence}, max_id) FROM (SELECT max(${sql.ref(column)}) AS max_id FROM ${sql.table(table)}) m WHERE max_id IS NOT NULL`.execute(db);
  }
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row['n']);
}
