import type { UnitChange } from '@duban/organisation';
import { unitKindSchema } from '@duban/plan';
import type { UnitRecord } from '@duban/plan';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** The registry's version: raised by every change, so a server sees cheaply that its copy is stale. Does IO. */
export async function readUnitVersion(db: Kysely<ServerDatabase>): Promise<number> {
  const row = await db.selectFrom('unit_registry').select('version').where('id', '=', 1).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Every unit with its aliases and members, in the registry's order. Does IO. */
export async function readUnitRecords(db: Kysely<ServerDatabase>): Promise<UnitRecord[]> {
  const [units, aliases, members] = await Promise.all([
    db.selectFrom('unit').select(['name', 'kind']).orderBy('position').orderBy('name').execute(),
    db.selectFrom('unit_alias').select(['alias', 'unit']).orderBy('alias').execute(),
    db.selectFrom('unit_member').select(['collective', 'member']).orderBy('collective').orderBy('position').execute(),
  ]);
  const aliasesOf = group(aliases.map((row) => [row.unit, row.alias]));
  const membersOf = group(members.map((row) => [row.collective, row.member]));
  return units.map((row) => {
    const unitMembers = membersOf.get(row.name);
    // A kind this server does not know (written by a newer one) reads as a collective's or a department's.
    const kind = unitKindSchema.catch(unitMembers === undefined ? 'city-department' : 'collective').parse(row.kind);
    return { name: row.name, kind, aliases: aliasesOf.get(row.name) ?? [], ...(unitMembers === undefined ? {} : { members: unitMembers }) };
  });
}

function group(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [value]);
    else list.push(value);
  }
  return groups;
}

/**
 * Writes a change checked by `checkUnitChange` (names resolved and normalised) and raises the
 * version. Runs on the caller's connection, inside its transaction. Does IO.
 */
export async function writeUnitChange(db: Kysely<ServerDatabase>, change: UnitChange): Promise<void> {
  if ((change.addUnits ?? []).length > 0) {
    const last = await db.selectFrom('unit').select((eb) => eb.fn.max('position').as('last')).executeTakeFirst();
    const first = Number(last?.last ?? 0) + 1;
    await db.insertInto('unit').values(change.addUnits!.map((unit, i) => ({ name: unit.name, kind: unit.kind, position: first + i }))).execute();
  }
  for (const { unit, kind } of change.kinds ?? []) {
    await db.updateTable('unit').set({ kind }).where('name', '=', unit).execute();
    if (kind !== 'collective') await db.deleteFrom('unit_member').where('collective', '=', unit).execute();
  }
  if ((change.addAliases ?? []).length > 0) await db.insertInto('unit_alias').values(change.addAliases!.map(({ alias, unit }) => ({ alias, unit }))).execute();
  for (const { alias, unit } of change.removeAliases ?? []) await db.deleteFrom('unit_alias').where('alias', '=', alias).where('unit', '=', unit).execute();
  for (const { unit, members } of change.members ?? []) {
    await db.deleteFrom('unit_member').where('collective', '=', unit).execute();
    if (members.length > 0) await db.insertInto('unit_member').values(members.map((member, i) => ({ collective: unit, member, position: i + 1 }))).execute();
  }
  await raiseVersion(db);
}

/**
 * Fills an empty registry with `units` in one transaction; a registry with any unit is left alone
 * (seeded once: later changes are the admin's). Two servers seeding at once write it once. Does IO.
 */
export async function seedUnits(db: Kysely<ServerDatabase>, units: readonly UnitRecord[]): Promise<boolean> {
  if (units.length === 0) return false;
  return db.transaction().execute(async (tx) => {
    const any = await tx.selectFrom('unit').select('name').limit(1).executeTakeFirst();
    if (any !== undefined) return false;
    await tx.insertInto('unit').values(units.map((unit, i) => ({ name: unit.name, kind: unit.kind, position: i + 1 }))).onConflict((c) => c.doNothing()).execute();
    const aliases = units.flatMap((unit) => unit.aliases.map((alias) => ({ alias, unit: unit.name })));
    if (aliases.length > 0) await tx.insertInto('unit_alias').values(aliases).onConflict((c) => c.doNothing()).execute();
    const members = units.flatMap((unit) => (unit.members ?? []).map((member, i) => ({ collective: unit.name, member, position: i + 1 })));
    if (members.length > 0) await tx.insertInto('unit_member').values(members).onConflict((c) => c.doNothing()).execute();
    await raiseVersion(tx);
    return true;
  });
}

async function raiseVersion(db: Kysely<ServerDatabase>): Promise<void> {
  await db
    .insertInto('unit_registry')
    .values({ id: 1, version: 1 })
    .onConflict((c) => c.column('id').doUpdateSet((eb) => ({ version: eb('unit_registry.version', '+', 1) })))
    .execute();
}
