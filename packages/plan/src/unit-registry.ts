import { z } from 'zod';
import { foldText } from './fold-text.ts';
import { PlanInputError } from './plan-input-error.ts';

/**
 * city-department: a department of the city government · district-government: one district's
 * government · collective: a name standing for several units (各区人民政府, 市级各有关部门) ·
 * external: vertically administered, outside the city's line (税务, 人民银行, 银保监) ·
 * group: a leading group (领导小组) or its office.
 */
export const unitKindSchema = z.enum(['city-department', 'district-government', 'collective', 'external', 'group']);

/** One unit of the registry; `members` only for a collective that stands for known units. */
export const unitRecordSchema = z.strictObject({
  name: z.string().min(1),
  kind: unitKindSchema,
  aliases: z.array(z.string().min(1)),
  members: z.array(z.string().min(1)).optional(),
});

/** The shape of `data/units.json`. */
export const unitsFileSchema = z.strictObject({ units: z.array(unitRecordSchema) });

export type UnitKind = z.infer<typeof unitKindSchema>;
export type UnitRecord = z.infer<typeof unitRecordSchema>;

/**
 * The units a plan may name, with aliases (市住房公积金中心 → 市住房公积金管理中心) and the
 * members of collectives (各区人民政府 → the four district governments). Lookups also accept
 * other punctuation widths and traditional characters.
 */
export class UnitRegistry {
  readonly units: readonly UnitRecord[];
  readonly #byKey = new Map<string, UnitRecord>();

  constructor(units: readonly UnitRecord[]) {
    this.units = units;
    for (const unit of units) {
      for (const name of [unit.name, ...unit.aliases]) {
        const key = lookupKey(name);
        const existing = this.#byKey.get(key);
        if (existing && existing !== unit) {
          throw new PlanInputError(
            'units-file',
            `单位名称“${name}”在单位名录中出现了两次 / unit name "${name}" is listed twice in the units registry`,
          );
        }
        this.#byKey.set(key, unit);
      }
    }
  }

  /** The registry's record for a name or alias, or undefined when the name is unknown. */
  get(name: string): UnitRecord | undefined {
    return this.#byKey.get(lookupKey(name));
  }

  /** The canonical name for a name or alias; an unknown name is returned as written. */
  canonical(name: string): string {
    return this.get(name)?.name ?? name.trim();
  }

  /** The member unit names of a collective (各区人民政府 → four district governments), else []. */
  membersOf(name: string): string[] {
    return [...(this.get(name)?.members ?? [])];
  }

  /** True when the name or alias is in the registry. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** The key two names share when the registry takes them for the same unit: punctuation widths, traditional characters and spaces folded. Pure. */
export function unitNameKey(name: string): string {
  return foldText(name).replace(/\s+/g, '');
}

const lookupKey = unitNameKey;

/**
 * A registry from the parsed contents of a units file (`{ "units": [...] }`). Throws a
 * `PlanInputError` naming the first problem when the contents do not have that shape, or when a
 * member of a collective is not itself listed.
 */
export function loadUnitRegistry(json: unknown): UnitRegistry {
  const parsed = unitsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new PlanInputError(
      'units-file',
      `单位名录格式不正确（${where}）/ the units registry is malformed at ${where}: ${issue?.message ?? ''}`.trim(),
    );
  }
  const registry = new UnitRegistry(parsed.data.units);
  for (const unit of parsed.data.units) {
    for (const member of unit.members ?? []) {
      if (!registry.has(member)) {
        throw new PlanInputError(
          'units-file',
          `“${unit.name}”的成员“${member}”不在单位名录中 / member "${member}" of "${unit.name}" is not in the units registry`,
        );
      }
    }
  }
  return registry;
}
