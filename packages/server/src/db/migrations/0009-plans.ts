import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0009-plans: a plan is a record (`plan`): its title, year and issuer, when and by
 * whom it was imported, its settings (warning lead days, escalation days, whether deadlines already
 * past at the import count from the import) and the file it came from (name, SHA-256). Plans imported
 * before this migration are backfilled from their tasks' `plan:` tags, titled by their id, imported
 * at their first task's creation, their past deadlines counted as they were (`late_from_import` 0),
 * so old databases keep working. Landed migrations are never edited.
 */
export function plansMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('plan')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('year', 'integer')
        .addColumn('issuer', 'text')
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('warning_lead_days', 'integer', (c) => c.notNull())
        .addColumn('escalate_after_days', 'integer', (c) => c.notNull())
        .addColumn('late_from_import', 'integer', (c) => c.notNull())
        .addColumn('source_name', 'text')
        .addColumn('source_sha256', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .execute();
      await db
        .insertInto('plan')
        .columns(['id', 'title', 'year', 'issuer', 'imported_at', 'imported_by', 'warning_lead_days', 'escalate_after_days', 'late_from_import', 'source_name', 'source_sha256', 'active'])
        .expression(
          db
            .selectFrom('instance_tag as t')
            .innerJoin('workflow_instance as i', 'i.id', 't.instance_id')
            .where('t.tag', 'like', 'plan:%')
            .groupBy('t.tag')
            .select([
              sql<string>`substr(t.tag, 6)`.as('id'),
              sql<string>`substr(t.tag, 6)`.as('title'),
              sql<null>`null`.as('year'),
              sql<null>`null`.as('issuer'),
              sql<string>`min(i.created_at)`.as('imported_at'),
              sql<string>`'admin'`.as('imported_by'),
              sql<number>`3`.as('warning_lead_days'),
              sql<number>`30`.as('escalate_after_days'),
              sql<number>`0`.as('late_from_import'),
              sql<null>`null`.as('source_name'),
              sql<null>`null`.as('source_sha256'),
              sql<number>`1`.as('active'),
            ]),
        )
        .execute();
    },
  };
}
