import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodePlanFile } from './decode-plan-file.ts';
import { repositoryUnits } from './repository-units.ts';
import { parsePlan } from './parse-plan.ts';

/** The checked-in plan source and its parsed JSON beside it. */
export const SAMPLE_PLAN_SOURCE = fileURLToPath(new URL('../../../data/plans/karamay-2023-fangguanfu.md', import.meta.url));

/** Plan JSON as checked in: the parser's output for `source`, 2-space indented, with a trailing newline. */
export function generatePlanJson(source: string): string {
  const plan = parsePlan(decodePlanFile(readFileSync(source)), { units: repositoryUnits, source });
  return `${JSON.stringify(plan, null, 2)}\n`;
}

// Run as a script: `npx tsx packages/plan/src/generate-plan-json.ts [FILE.md ...]` writes FILE.json beside each.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sources = process.argv.length > 2 ? process.argv.slice(2) : [SAMPLE_PLAN_SOURCE];
  for (const source of sources) {
    const target = source.replace(/\.(md|markdown|txt)$/i, '') + '.json';
    writeFileSync(target, generatePlanJson(source));
    console.log(`wrote ${target}`);
  }
}
