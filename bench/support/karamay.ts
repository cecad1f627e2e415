import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryUnits } from '../../packages/plan/src/index.ts';
import type { Plan } from '../../packages/plan/src/index.ts';
import type { PlannedInstance } from '../../workflows/reform-task/src/index.ts';
import { instancesFromPlan } from '../../workflows/reform-task/src/index.ts';

export const planId = 'karamay-2023-fangguanfu';
export const plan: Plan = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'plans', `${planId}.json`), 'utf8'));

/** The Karamay tasks, repeated `copies` times under distinct plan ids (copy 0 is the plan itself). */
export function karamayInstances(copies = 1): PlannedInstance[] {
  return Array.from({ length: copies }, (_, copy) => instancesFromPlan(plan, repositoryUnits, { planId: copy === 0 ? planId : `${planId}-copy${copy}` })).flat();
}
