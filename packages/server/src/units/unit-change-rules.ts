import type { UnitChange } from '@duban/organisation';
import { UnitRegistry, unitKindSchema, unitNameKey } from '@duban/plan';
import type { UnitKind, UnitRecord } from '@duban/plan';
import { UnitError } from './unit-error.ts';

/** Names are stored trimmed and in Unicode NFC, so the same name typed twice is one name. */
export function normalUnitName(text: string): string {
  return text.normalize('NFC').trim();
}

const MAX_NAME = 100;

/** The kinds of unit, in Chinese, for the pages and the messages. */
export const unitKindLabels: Readonly<Record<UnitKind, string>> = {
  'city-department': '市直部门',
  'district-government': '区（县）政府',
  collective: '集合性单位',
  external: '垂直管理单位',
  group: '领导小组及其办公室',
};

/**
 * Checks a change against the registry as it stands and returns it resolved (every unit named by
 * its canonical name, every name trimmed and NFC) with the registry after it. Refuses with a
 * UnitError in Chinese: an empty or overlong name; a name or alias the registry already has (under
 * any width of punctuation, traditional characters or spaces); an unknown kind; a unit not in the
 * registry; an alias that is not the unit's; members of a unit that is not a collective, or members
 * that are unknown, collectives, repeated or the collective itself; a collective with members made
 * something else. Pure.
 */
export function checkUnitChange(records: readonly UnitRecord[], change: UnitChange): { change: UnitChange; records: UnitRecord[] } {
  const after = new Map<string, { name: string; kind: UnitKind; aliases: string[]; members: string[] | undefined }>(
    records.map((unit) => [unit.name, { ...unit, aliases: [...unit.aliases], members: unit.members === undefined ? undefined : [...unit.members] }]),
  );
  const keys = new Map<string, string>();
  for (const unit of records) for (const name of [unit.name, ...unit.aliases]) keys.set(unitNameKey(name), unit.name);
  const resolve = (field: string, written: string): string => {
    const name = normalUnitName(written);
    const unit = keys.get(unitNameKey(name));
    if (unit === undefined) throw new UnitError('unknown', field, `单位“${name}”不在单位名录中。`);
    return unit;
  };
  const fresh = (field: string, written: string, what: string): string => {
    const name = normalUnitName(written);
    if (name === '') throw new UnitError('invalid', field, `${what}不能为空。`);
    if (name.length > MAX_NAME) throw new UnitError('invalid', field, `${what}不能超过 ${MAX_NAME} 个字。`);
    const holder = keys.get(unitNameKey(name));
    if (holder !== undefined) {
      throw new UnitError('duplicate', field, holder === name ? `单位名录中已有“${name}”。` : `“${name}”已是单位“${holder}”的名称或别名。`);
    }
    return name;
  };
  const kindOf = (field: string, written: string): UnitKind => {
    const parsed = unitKindSchema.safeParse(written);
    if (!parsed.success) throw new UnitError('invalid', field, `请选择单位类别（${Object.values(unitKindLabels).join('、')}）。`);
    return parsed.data;
  };

  const resolved: { -readonly [K in keyof UnitChange]-?: NonNullable<UnitChange[K]> } = { addUnits: [], kinds: [], addAliases: [], removeAliases: [], members: [] };
  (change.addUnits ?? []).forEach((unit, i) => {
    const name = fresh(`addUnits.${i}.name`, unit.name, '单位名称');
    const kind = kindOf(`addUnits.${i}.kind`, unit.kind);
    keys.set(unitNameKey(name), name);
    after.set(name, { name, kind, aliases: [], members: undefined });
    resolved.addUnits.push({ name, kind });
  });
  (change.kinds ?? []).forEach((set, i) => {
    const name = resolve(`kinds.${i}.unit`, set.unit);
    const kind = kindOf(`kinds.${i}.kind`, set.kind);
    const unit = after.get(name)!;
    if (kind !== 'collective' && (unit.members ?? []).length > 0) {
      throw new UnitError('invalid', `kinds.${i}.kind`, `“${name}”代表 ${unit.members!.length} 个成员单位，请先清空其成员再改为其他类别。`);
    }
    if (kind === 'collective') {
      const standsIn = [...after.values()].find((other) => (other.members ?? []).includes(name));
      if (standsIn !== undefined) throw new UnitError('invalid', `kinds.${i}.kind`, `“${name}”是“${standsIn.name}”的成员单位，不能改为集合性单位。`);
    }
    unit.kind = kind;
    if (kind !== 'collective') unit.members = undefined;
    resolved.kinds.push({ unit: name, kind });
  });
  (change.addAliases ?? []).forEach((add, i) => {
    const unit = resolve(`addAliases.${i}.unit`, add.unit);
    const alias = fresh(`addAliases.${i}.alias`, add.alias, '别名');
    keys.set(unitNameKey(alias), unit);
    after.get(unit)!.aliases.push(alias);
    resolved.addAliases.push({ alias, unit });
  });
  (change.removeAliases ?? []).forEach((remove, i) => {
    const unit = resolve(`removeAliases.${i}.unit`, remove.unit);
    const alias = normalUnitName(remove.alias);
    const record = after.get(unit)!;
    const at = record.aliases.indexOf(alias);
    if (at < 0) throw new UnitError('unknown', `removeAliases.${i}.alias`, `“${alias}”不是单位“${unit}”的别名。`);
    record.aliases.splice(at, 1);
    keys.delete(unitNameKey(alias));
    resolved.removeAliases.push({ alias, unit });
  });
  (change.members ?? []).forEach((set, i) => {
    const unit = resolve(`members.${i}.unit`, set.unit);
    const record = after.get(unit)!;
    if (record.kind !== 'collective') throw new UnitError('invalid', `members.${i}.members`, `只有集合性单位才有成员单位，“${unit}”不是集合性单位。`);
    const members: string[] = [];
    set.members.forEach((written, j) => {
      const member = resolve(`members.${i}.members.${j}`, written);
      if (member === unit) throw new UnitError('invalid', `members.${i}.members.${j}`, `“${unit}”不能是自己的成员单位。`);
      if (after.get(member)!.kind === 'collective') throw new UnitError('invalid', `members.${i}.members.${j}`, `“${member}”是集合性单位，不能作为成员单位。`);
      if (members.includes(member)) throw new UnitError('duplicate', `members.${i}.members.${j}`, `成员单位“${member}”重复。`);
      members.push(member);
    });
    record.members = members.length > 0 ? members : undefined;
    resolved.members.push({ unit, members });
  });

  const records2 = [...after.values()].map(({ members, ...unit }): UnitRecord => (members === undefined ? unit : { ...unit, members }));
  // The registry itself would refuse anything the rules above let through.
  new UnitRegistry(records2);
  const kept = Object.fromEntries(Object.entries(resolved).filter(([, part]) => part.length > 0)) as UnitChange;
  if (Object.keys(kept).length === 0) throw new UnitError('invalid', 'change', '没有要修改的内容。');
  return { change: kept, records: records2 };
}

/**
 * The field of an admin's form or request body a refusal's path names: `addUnits.0.name` → `name`,
 * `kinds.0.kind` → `kind`, `addAliases.2.alias` → `addAliases.2`, `members.0.members.1` → `members.1`. Pure.
 */
export function unitFormField(path: string): string {
  const match = /^(addUnits|kinds|addAliases|removeAliases|members)\.\d+\.(\w+)(?:\.(\d+))?$/.exec(path);
  if (match === null) return path;
  const [, part, leaf, index] = match as unknown as [string, string, string, string | undefined];
  const n = /\.(\d+)\./.exec(path)?.[1] ?? '0';
  if (part === 'addUnits' || part === 'kinds') return leaf === 'unit' ? 'name' : leaf;
  if (part === 'members') return leaf === 'unit' ? 'name' : index === undefined ? 'members' : `members.${index}`;
  return leaf === 'unit' ? 'name' : `${part}.${n}`;
}
