import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { PlanTable, ServerDatabase } from '../db/server-tables.ts';

/** A plan as a record: what it is, when and by whom it was imported, its settings and its source file. */
export interface PlanRecord {
  readonly id: string;
  readonly title: string;
  readonly year: number | null;
  readonly issuer: string | null;
  /** ISO instant of the import. */
  readonly importedAt: string;
  /** `admin`, `office`, or `office:张三` when a person's account imported it. */
  readonly importedBy: string;
  readonly warningLeadDays: number;
  readonly escalateAfterDays: number;
  /** A deadline already past at the import counts as passed at the import (late import). */
  readonly lateFromImport: boolean;
  readonly sourceName: string | null;
  readonly sourceSha256: string | null;
  readonly active: boolean;
}

/** A plan with how many tasks it holds. */
export interface ListedPlan extends PlanRecord {
  readonly tasks: number;
}

/** The defaults of a plan's settings (the workflow's own defaults). */
export const DEFAULT_PLAN_SETTINGS = Object.freeze({ warningLeadDays: 3, escalateAfterDays: 30 });

/**
 * The plans of a database (`plan`, migration 0009). A plan whose tasks exist without a record (made
 * by `importPlan` alone, as tests and old paths do) is listed all the same, titled by its id, so a
 * database is never without the plans its tasks name. Does IO.
 */
export class PlanRecords {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Every plan, newest import first, with its task count. */
  async list(): Promise<ListedPlan[]> {
    const rows = await this.db.selectFrom('plan').selectAll().execute();
    const counts = await this.taskCounts();
    const records = rows.map(recordOf);
    for (const [id, tasks] of counts) {
      if (!records.some((r) => r.id === id)) records.push({ ...untitled(id), tasks } as ListedPlan);
    }
    return records
      .map((record) => ({ ...record, tasks: counts.get(record.id) ?? 0 }))
      .sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One plan's record, or undefined (also for a plan whose tasks exist without a record). */
  async get(id: string): Promise<PlanRecord | undefined> {
    const row = await this.db.selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : recordOf(row);
  }

  /** Whether the id names a plan already: a record, or tasks under that plan id. */
  async exists(id: string): Promise<boolean> {
    if ((await this.get(id)) !== undefined) return true;
    const tagged = await sql<{ n: number }>`SELECT 1 AS n FROM instance_tag WHERE tag = ${`plan:${id}`} LIMIT 1`.execute(this.db);
    return tagged.rows.length > 0;
  }

  /** The newest active plan's id (the plan selector's default), or undefined when there is none. */
  async newestActive(): Promise<string | undefined> {
    return (await this.list()).find((plan) => plan.active)?.id;
  }

  /** Records a plan; false (and nothing written) when its id is taken. */
  async add(record: PlanRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('plan')
      .values(rowOf(record))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Sets a plan active or not (an inactive plan is never the plan selector's default); a plan whose
   * tasks exist without a record gets one. The record as it now stands, or undefined for no such plan.
   */
  async setActive(id: string, active: boolean): Promise<PlanRecord | undefined> {
    if ((await this.get(id)) === undefined) {
      if (!(await this.exists(id))) return undefined;
      await this.add({ ...untitled(id), active });
    }
    await this.db.updateTable('plan').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
    return this.get(id);
  }

  /** Removes a plan's record (an import that failed after claiming its id). */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('plan').where('id', '=', id).execute();
  }

  private async taskCounts(): Promise<Map<string, number>> {
    const { rows } = await sql<{ tag: string; n: number | string }>`SELECT tag, COUNT(*) AS n FROM instance_tag WHERE tag LIKE 'plan:%' GROUP BY tag`.execute(this.db);
    return new Map(rows.map((row) => [row.tag.slice('plan:'.length), Number(row.n)]));
  }
}

function untitled(id: string): PlanRecord {
  return {
    id,
    title: id,
    year: null,
    issuer: null,
    importedAt: '',
    importedBy: 'admin',
    ...DEFAULT_PLAN_SETTINGS,
    lateFromImport: false,
    sourceName: null,
    sourceSha256: null,
    active: true,
  };
}

function recordOf(row: Selectable<PlanTable>): PlanRecord {
  return {
    id: row.id,
    title: row.title,
    year: row.year === null ? null : Number(row.year),
    issuer: row.issuer,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    warningLeadDays: Number(row.warning_lead_days),
    escalateAfterDays: Number(row.escalate_after_days),
    lateFromImport: Number(row.late_from_import) === 1,
    sourceName: row.source_name,
    sourceSha256: row.source_sha256,
    active: Number(row.active) === 1,
  };
}

function rowOf(record: PlanRecord): PlanTable {
  return {
    id: record.id,
    title: record.title,
    year: record.year,
    issuer: record.issuer,
    imported_at: record.importedAt,
    imported_by: record.importedBy,
    warning_lead_days: record.warningLeadDays,
    escalate_after_days: record.escalateAfterDays,
    late_from_import: record.lateFromImport ? 1 : 0,
    source_name: record.sourceName,
    source_sha256: record.sourceSha256,
    active: record.active ? 1 : 0,
  };
}
