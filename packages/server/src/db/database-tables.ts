import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/** A data table as the database describes it. */
export interface DatabaseTable {
  readonly name: string;
  /** Primary key columns in key order (empty when it has none). */
  readonly primaryKey: readonly string[];
  /** Tables its foreign keys point to. */
  readonly parents: readonly string[];
}

/** The bookkeeping tables of kysely's migrators (engine and server): filled by migrating, never copied. */
export const MIGRATION_TABLES: ReadonlySet<string> = new Set(['schema_migration', 'schema_migration_lock', 'server_migration', 'server_migration_lock']);

/**
 * The keyword search index (0011): derived from the tasks, its SQLite FTS5 table and shadow tables have
 * no PostgreSQL counterpart; never copied — the first search on the copy indexes every task again.
 */
function isSearchIndex(name: string): boolean {
  return name === 'task_search' || name.startsWith('task_search_fts');
}

/** The plan's history (0018): derived from the audit log; never copied — the copy folds its log again on its first past view. */
function isPlanHistory(name: string): boolean {
  return name === 'plan_history' || name === 'plan_history_state';
}

/** The report read model's checkpoint (0021): derived from the audit log; never copied — the copy's server folds its log again and writes its own. */
function isReadModelCheckpoint(name: string): boolean {
  return name === 'report_model_checkpoint';
}

/**
 * Every data table of the database (SQLite) or of the connection's current schema (PostgreSQL), parents
 * before the tables that refer to them, ties by name; migration bookkeeping left out. Read from the
 * database itself, so tables added by later migrations are included without being named here; the
 * search index, the plan's history and the read model's checkpoint left out (derived). Does IO.
 */
export async function listDataTables(db: Kysely<any>, dialect: Dialect): Promise<DatabaseTable[]> {
  const tables = dialect === 'sqlite' ? await sqliteTables(db) : await postgresTables(db);
  return parentsFirst(tables.filter((t) => !MIGRATION_TABLES.has(t.name) && !isSearchIndex(t.name) && !isPlanHistory(t.name) && !isReadModelCheckpoint(t.name)));
}

async function sqliteTables(db: Kysely<any>): Promise<DatabaseTable[]> {
  const names = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`.execute(db);
  const tables: DatabaseTable[] = [];
  for (const { name } of names.rows) {
    const columns = await sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info(${name})`.execute(db);
    const parents = await sql<{ table: string }>`SELECT "table" FROM pragma_foreign_key_list(${name})`.execute(db);
    tables.push({
      name,
      primaryKey: columns.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      parents: [...new Set(parents.rows.map((p) => p.table))],
    });
  }
  return tables;
}

async function postgresTables(db: Kysely<any>): Promise<DatabaseTable[]> {
  const names = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`.execute(db);
  const keys = await sql<{ table: string; column: string; position: number }>`
    SELECT c.relname AS table, a.attname AS column, array_position(i.indkey::int2[], a.attnum) AS position
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
    WHERE i.indisprimary AND n.nspname = current_schema()`.execute(db);
  const links = await sql<{ child: string; parent: string }>`
    SELECT child.relname AS child, parent.relname AS parent
    FROM pg_constraint f
    JOIN pg_class child ON child.oid = f.conrelid
    JOIN pg_class parent ON parent.oid = f.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace
    WHERE f.contype = 'f' AND n.nspname = current_schema()`.execute(db);
  return names.rows.map(({ name }) => ({
    name,
    primaryKey: keys.rows.filter((k) => k.table === name).sort((a, b) => a.position - b.position).map((k) => k.column),
    parents: [...new Set(links.rows.filter((l) => l.child === name).map((l) => l.parent))],
  }));
}

/** Topological order: a table after every table it refers to (a table referring to itself does not count). */
function parentsFirst(tables: DatabaseTable[]): DatabaseTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: DatabaseTable[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (table: DatabaseTable): void => {
    if (placed.has(table.name)) return;
    if (visiting.has(table.name)) throw new Error(`tables refer to each other in a cycle through ${table.name}; cannot order the copy`);
    visiting.add(table.name);
    for (const parent of table.parents) {
      const p = byName.get(parent);
      if (p !== undefined && parent !== table.name) visit(p);
    }
    visiting.delete(table.name);
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(table);
  return ordered;
}
