import type { Actor } from '@duban/engine';
import type { UnitStore } from '../units/unit-store.ts';

/**
 * Where an import settles the units of a plan before its tasks are created: the unknown names to add
 * as units, and the names mapped to an existing unit, to remember as its aliases. One method, so the
 * import depends on nothing else of the registry's store.
 */
export interface UnitSettler {
  /** Adds `addUnits` as units and records each alias (`{ alias: unit }`); all or nothing, audited. Does IO. */
  settle(addUnits: readonly string[], aliases: Readonly<Record<string, string>>, actor: Actor, at: Date): Promise<void>;
}

/** The settler on the database's unit registry: one audited change (CHANGE_UNITS) for the whole settlement. */
export class RegistrySettler implements UnitSettler {
  constructor(private readonly store: Pick<UnitStore, 'settle'>) {}

  settle(addUnits: readonly string[], aliases: Readonly<Record<string, string>>, actor: Actor, at: Date): Promise<void> {
    return this.store.settle(
      {
        // A unit a plan names and the registry lacks is most often a city department; the admin can change its kind.
        addUnits: addUnits.map((name) => ({ name, kind: 'city-department' })),
        aliases: Object.entries(aliases).map(([alias, unit]) => ({ alias, unit })),
      },
      actor,
      at,
    );
  }
}
