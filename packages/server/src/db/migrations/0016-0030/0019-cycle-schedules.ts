import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0019-cycle-schedules: a task may have its own reporting schedule beside its plan's
 * (workflow `reporting-cycle` version 2), and both may have a cycle of the same key (2023-06), each
 * closed on its own due day. `cycle_part` gains `schedule` (`plan`: the plan's; `task`: the task's
 * own) in its primary key, so a closed cycle's row says which schedule it belongs to and the two never
 * collide. The table is rebuilt (SQLite cannot change a primary key in place): every row kept, as the
 * plan's. Landed migrations are never edited.
 */
export function cycleSchedulesMigration(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cycle_part_next')
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('cycle_key', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('lead', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('due_seq', 'integer', (c) => c.notNull())
        .addColumn('reported_seq', 'integer')
        .addPrimaryKeyConstraint('cycle_part_schedule_pk', ['plan_id', 'schedule', 'cycle_key', 'task_id', 'unit'])
        .execute();
      await db
        .insertInto('cycle_part_next')
        .columns(['plan_id', 'schedule', 'cycle_key', 'task_id', 'unit', 'lead', 'due_at', 'due_seq', 'reported_seq'])
        .expression(db.selectFrom('cycle_part').select(['plan_id', sql<string>`'plan'`.as('schedule'), 'cycle_key', 'task_id', 'unit', 'lead', 'due_at', 'due_seq', 'reported_seq']))
        .execute();
      await db.schema.dropTable('cycle_part').execute();
      await db.schema.alterTable('cycle_part_next').renameTo('cycle_part').execute();
      await db.schema.createIndex('cycle_part_unit').on('cycle_part').columns(['unit', 'due_at']).execute();
      // 未报 marks read a task's rows across its schedules.
      await db.schema.createIndex('cycle_part_task').on('cycle_part').columns(['task_id', 'due_at']).execute();
    },
  };
}
