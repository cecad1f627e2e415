import { readFileSync } from 'node:fs';
import unitsJson from '../../../data/units.json' with { type: 'json' };
import { PlanInputError } from './plan-input-error.ts';
import { loadUnitRegistry } from './unit-registry.ts';
import type { UnitRegistry } from './unit-registry.ts';

/** The repository's unit registry (`data/units.json`): the parser's default, and a new database's first units. */
export const repositoryUnits: UnitRegistry = loadUnitRegistry(unitsJson);

/**
 * The registry in a units file (`{ "units": [...] }`, as `data/units.json`). Does IO; a
 * `PlanInputError` naming the file when it cannot be read or is not such a registry.
 */
export function readUnitsFile(path: string): UnitRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlanInputError('units-file', `无法读取单位名录文件 ${path} / cannot read the units file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError('units-file', `单位名录文件 ${path} 不是有效的 JSON / the units file ${path} is not JSON: ${(error as Error).message}`);
  }
  return loadUnitRegistry(json);
}
