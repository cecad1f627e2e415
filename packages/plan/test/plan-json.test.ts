import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePlanJson, SAMPLE_PLAN_SOURCE } from '../src/generate-plan-json.ts';
import { repositoryUnits } from '../src/repository-units.ts';
import { parsePlan } from '../src/parse-plan.ts';
import { planSchema } from '../src/plan-schema.ts';
import { readDataFile } from './read-fixture.ts';

const checkedIn = readFileSync(new URL('../../../data/plans/karamay-2023-fangguanfu.json', import.meta.url), 'utf8');

describe('data/plans/karamay-2023-fangguanfu.json', () => {
  it('given the checked-in JSON, when the source is parsed again, then both are the same plan (regenerate with `npx tsx packages/plan/src/generate-plan-json.ts`)', () => {
    const fresh = parsePlan(readDataFile('plans/karamay-2023-fangguanfu.md'), { units: repositoryUnits });
    expect(JSON.parse(checkedIn)).toEqual(fresh);
  });

  it('given the checked-in JSON, then it is byte for byte what the generator writes: 2-space indent and a trailing newline', () => {
    expect(checkedIn).toBe(generatePlanJson(SAMPLE_PLAN_SOURCE));
    expect(checkedIn.endsWith('}\n')).toBe(true);
    expect(checkedIn.split('\n')[1]).toMatch(/^ {2}"title"/);
  });

  it('given the checked-in JSON, then it satisfies the strict Plan JSON schema', () => {
    expect(planSchema.safeParse(JSON.parse(checkedIn)).success).toBe(true);
  });
});
