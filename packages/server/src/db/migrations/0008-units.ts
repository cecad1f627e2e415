import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Server migration 0008-units: the unit registry as data (units/unit-store.ts). `unit` the canonical
 * names with their kind, in the order they were added (`position`); `unit_alias` other names of a
 * unit; `unit_member` the units a collective stands for, in order; `unit_registry` one row (written
 * by the first change, so a new database holds no row to copy over) whose `version` every change raises, so each server sees cheaply that its copy is stale. Landed: never edited.
 */
export function unitsMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('unit')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('unit_alias')
        .addColumn('alias', 'text', (c) => c.primaryKey())
        .addColumn('unit', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('unit_alias_unit').on('unit_alias').column('unit').execute();
      await db.schema
        .createTable('unit_member')
        .addColumn('collective', 'text', (c) => c.notNull())
        .addColumn('member', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('unit_member_pk', ['collective', 'member'])
        .execute();
      await db.schema
        .createTable('unit_registry')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
