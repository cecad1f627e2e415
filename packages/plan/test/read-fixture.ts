import { readFileSync } from 'node:fs';
import { decodePlanFile } from '../src/decode-plan-file.ts';

/** The text of a file under packages/plan/test/fixtures/. */
export function readFixture(name: string): string {
  return decodePlanFile(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** The text of a file under the repository's data/ folder. */
export function readDataFile(path: string): string {
  return decodePlanFile(readFileSync(new URL(`../../../data/${path}`, import.meta.url)));
}
