import unitsJson from '../../../data/units.json' with { type: 'json' };
import { loadUnitRegistry } from './unit-registry.ts';
import type { UnitRegistry } from './unit-registry.ts';

/** The Karamay unit registry, read from `data/units.json`. */
export const karamayUnits: UnitRegistry = loadUnitRegistry(unitsJson);
