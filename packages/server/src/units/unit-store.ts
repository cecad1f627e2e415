import type { Actor } from '@duban/engine';
import type { UnitChange } from '@duban/organisation';
import type { UnitRecord, UnitRegistry } from '@duban/plan';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { checkUnitChange, normalUnitName } from './unit-change-rules.ts';
import type { OrganisationLog } from './organisation-log.ts';
import type { UnitDirectory } from './unit-directory.ts';
import { UnitError } from './unit-error.ts';
import { readUnitRecords, seedUnits } from './unit-tables.ts';

/** A unit as the API and the pages show it: its canonical name, kind, other names, and members (a collective's). */
export interface UnitView {
  readonly name: string;
  readonly kind: string;
  readonly aliases: readonly string[];
  readonly members: readonly string[];
}

/** An admin's edit of one unit: a new kind, aliases to add and to remove, the members a collective stands for. */
export interface UnitEdit {
  readonly kind?: string | undefined;
  readonly addAliases?: readonly string[] | undefined;
  readonly removeAliases?: readonly string[] | undefined;
  readonly members?: readonly string[] | undefined;
}

/** What a plan import settles before it imports: units to add, and names to map to a unit as aliases. */
export interface UnitSettlement {
  readonly addUnits?: readonly { readonly name: string; readonly kind: string }[] | undefined;
  readonly aliases?: readonly { readonly alias: string; readonly unit: string }[] | undefined;
}

/**
 * The unit registry's writes, for the admin (API, pages, CLI) and the plan import: each is checked
 * against the registry as it stands (a UnitError in Chinese, nothing changed, no entry), then sent as
 * one `CHANGE_UNITS` event to the organisation's instance: the audit entry (with the acting person)
 * and the change to the tables commit in one transaction (`organisation-hook.ts`). Afterwards this
 * server's directory is current. Does IO.
 */
export class UnitStore {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly log: OrganisationLog,
    readonly directory: UnitDirectory,
  ) {}

  /** Every unit, in the registry's order, as the database has it now. */
  async list(): Promise<UnitView[]> {
    await this.directory.refresh(true);
    return this.directory.units.map(unitView);
  }

  /**
   * Fills an empty registry from `load()` (a units file: a new database's first units); a registry
   * with units is left alone and `load` is not called. Read afterwards either way. True when seeded.
   */
  async seedIfEmpty(load: () => UnitRegistry): Promise<boolean> {
    const empty = (await this.db.selectFrom('unit').select('name').limit(1).executeTakeFirst()) === undefined;
    const seeded = empty && (await seedUnits(this.db, load().units));
    await this.directory.refresh(true);
    return seeded;
  }

  /** Adds one unit, with its other names and (a collective's) members, as one change; the unit as stored. */
  async add(unit: { readonly name: string; readonly kind: string; readonly aliases?: readonly string[]; readonly members?: readonly string[] }, actor: Actor, at: Date): Promise<UnitView> {
    const name = normalUnitName(unit.name);
    await this.change(
      {
        addUnits: [{ name, kind: unit.kind }],
        ...((unit.aliases ?? []).length === 0 ? {} : { addAliases: unit.aliases!.map((alias) => ({ alias, unit: name })) }),
        ...((unit.members ?? []).length === 0 ? {} : { members: [{ unit: name, members: [...unit.members!] }] }),
      },
      actor,
      at,
    );
    return this.view(name);
  }

  /** Edits one unit, named by its name or an alias (unknown: a UnitError `unknown` on `name`); the unit as stored. */
  async edit(name: string, edit: UnitEdit, actor: Actor, at: Date): Promise<UnitView> {
    await this.directory.refresh(true);
    const canonical = this.directory.get(normalUnitName(name))?.name;
    if (canonical === undefined) throw new UnitError('unknown', 'name', `单位“${normalUnitName(name)}”不在单位名录中。`);
    const change: UnitChange = {
      ...(edit.kind === undefined ? {} : { kinds: [{ unit: canonical, kind: edit.kind }] }),
      ...(edit.addAliases === undefined || edit.addAliases.length === 0 ? {} : { addAliases: edit.addAliases.map((alias) => ({ alias, unit: canonical })) }),
      ...(edit.removeAliases === undefined || edit.removeAliases.length === 0 ? {} : { removeAliases: edit.removeAliases.map((alias) => ({ alias, unit: canonical })) }),
      ...(edit.members === undefined ? {} : { members: [{ unit: canonical, members: [...edit.members] }] }),
    };
    await this.change(change, actor, at);
    return this.view(canonical);
  }

  /**
   * A plan import's settlement in one change (one transaction, one audit entry): `addUnits` added,
   * each of `aliases` made another name of its (existing or just added) unit. All or nothing. The
   * office may settle (it imports plans) as well as an admin.
   */
  settle(settlement: UnitSettlement, actor: Actor, at: Date): Promise<void> {
    return this.change(
      {
        ...((settlement.addUnits ?? []).length === 0 ? {} : { addUnits: settlement.addUnits!.map(({ name, kind }) => ({ name, kind })) }),
        ...((settlement.aliases ?? []).length === 0 ? {} : { addAliases: settlement.aliases!.map(({ alias, unit }) => ({ alias, unit })) }),
      },
      actor,
      at,
    );
  }

  /** Any change to the registry, checked, audited and written as one (an admin's, or the office's settlement of an import). */
  async change(change: UnitChange, actor: Actor, at: Date): Promise<void> {
    if (actor.role !== 'admin' && actor.role !== 'office') throw new UnitError('invalid', 'actor', '只有系统管理员可以修改单位名录。');
    // Checked first so that a refusal writes nothing, not even the organisation's first entry; checked again in the transaction.
    const checked = checkUnitChange(await readUnitRecords(this.db), change).change;
    await this.log.record('CHANGE_UNITS', checked, actor, at);
    await this.directory.refresh(true);
  }

  private view(name: string): UnitView {
    const unit = this.directory.get(name);
    if (unit === undefined) throw new Error(`unit ${name} is not in the registry just written`);
    return unitView(unit);
  }
}

function unitView(unit: UnitRecord): UnitView {
  return { name: unit.name, kind: unit.kind, aliases: [...unit.aliases], members: [...(unit.members ?? [])] };
}
