import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { assertHasTasks, decodePlanFile, parsePlan, planSchema, PlanInputError } from '@duban/plan';
import type { Plan } from '@duban/plan';
import { UserError } from '../user-error.ts';

/** A plan read from a file, with the id its tasks are imported under. */
export interface LoadedPlan {
  readonly plan: Plan;
  /** The file's name without extension, e.g. `karamay-2023-fangguanfu`. */
  readonly planId: string;
}

const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads a plan: a `.json` file as Plan JSON (checked against the schema), anything else as a plan
 * document (.md/.txt) parsed here. Throws PlanInputError or UserError with a message for people when the file
 * cannot be used (bad encoding, no task, malformed JSON). Does IO.
 */
export async function loadPlanFile(path: string): Promise<LoadedPlan> {
  const extension = extname(path);
  const planId = basename(path, extension);
  if (!PLAN_ID.test(planId)) {
    throw new UserError(`计划文件名须为字母、数字、点、横线 / the plan's file name must be ASCII letters, digits, '.', '-' or '_' (it becomes the plan id): ${planId}`);
  }
  const bytes = await readFile(path);
  let plan: Plan;
  if (extension.toLowerCase() === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(decodePlanFile(bytes));
    } catch (error) {
      if (error instanceof PlanInputError) throw error;
      throw new UserError(`计划 JSON 格式错误 / ${path} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = planSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(`计划 JSON 不符合格式 / ${path} is not Plan JSON at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    plan = parsed.data;
  } else {
    plan = parsePlan(decodePlanFile(bytes), { source: basename(path) });
  }
  assertHasTasks(plan, basename(path));
  return { plan, planId };
}
