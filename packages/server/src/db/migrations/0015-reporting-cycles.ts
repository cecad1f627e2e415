import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The entries that count as a part's report in a cycle (PART_PROGRESS, PART_DONE: the parts' own events). */
const REPORTING_TYPES = ['PROGRESS', 'REPORT', 'PART_PROGRESS', 'PART_DONE'];
const PAGE = 1000;

/**
 * Server migration 0015-reporting-cycles (信息报送): `cycle_report`, one row per task entry that counts
 * as a unit's report (its seq, the plan, the task, the reporting unit, its time), written by the
 * cycles' commit hook in the entry's transaction and read per plan and time window (index
 * `cycle_report_plan_at`), so who reported in a cycle is one indexed query, not a replay; and
 * `cycle_part`, the record of a closed cycle: every part (task, unit, 1 when it leads) that owed a report when
 * the cycle fell due (`due_seq`: the CYCLE_DUE entry), with the seq of its report or null (未报). Rows for the entries already in the log
 * are filled here from the log (a task's plan is its id before the last `.`). Landed migrations are never edited.
 */
export function reportingCyclesMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cycle_report')
        .addColumn('entry_seq', 'integer', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cycle_report_plan_at').on('cycle_report').columns(['plan_id', 'at']).execute();
      await db.schema
        .createTable('cycle_part')
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('cycle_key', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('lead', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('due_seq', 'integer', (c) => c.notNull())
        .addColumn('reported_seq', 'integer')
        .addPrimaryKeyConstraint('cycle_part_pk', ['plan_id', 'cycle_key', 'task_id', 'unit'])
        .execute();
      await db.schema.createIndex('cycle_part_unit').on('cycle_part').columns(['unit', 'due_at']).execute();

      for (let after = 0; ; ) {
        const rows: { seq: number | string; instance_id: string; actor: string; at: string }[] = await db
          .selectFrom('audit_log')
          .select(['seq', 'instance_id', 'actor', 'at'])
          .where('type', 'in', REPORTING_TYPES)
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(PAGE)
          .execute();
        const reports = rows.flatMap((row) => {
          const actor = JSON.parse(row.actor) as { role?: string; unit?: string | null };
          const dot = row.instance_id.lastIndexOf('.');
          if (actor.role !== 'unit' || typeof actor.unit !== 'string' || dot <= 0) return [];
          return [{ entry_seq: Number(row.seq), plan_id: row.instance_id.slice(0, dot), task_id: row.instance_id, unit: actor.unit, at: row.at }];
        });
        if (reports.length > 0) await db.insertInto('cycle_report').values(reports).execute();
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < PAGE) break;
        after = Number(last.seq);
      }
    },
  };
}
