import type { Actor } from '@duban/engine';
import { problem } from '../http/problems.ts';

/**
 * Where an import settles the units of a plan before its tasks are created: the unknown names to add
 * as units, and the names mapped to an existing unit, to remember as its aliases. The seam to the
 * unit registry's store (the registry moving into the database); one method, so that store fits it.
 */
export interface UnitSettler {
  /** Adds `addUnits` as units and records each alias (`{ alias: unit }`); all or nothing. Does IO. */
  settle(addUnits: readonly string[], aliases: Readonly<Record<string, string>>, actor: Actor): Promise<void>;
}

/**
 * The settler while the unit registry is code: a mapping is applied to the plan's names (the alias is
 * not remembered yet), adding a unit is refused with a 501 problem, before anything is written.
 */
export class UnitRegistryNotWritable implements UnitSettler {
  async settle(addUnits: readonly string[]): Promise<void> {
    if (addUnits.length > 0) {
      throw problem('unitsNotWritable', `the unit registry cannot be changed yet; map these units to existing ones instead: ${addUnits.join(', ')}`, {
        extensions: { errors: addUnits.map((name) => ({ path: `unitMappings.${name}`, message: `暂不支持自动添加单位“${name}”，请对应到已有单位` })) },
      });
    }
  }
}
