import { verificationChecks } from '@duban/reform-task';
import { z } from 'zod';
import rulesJson from '../../../../../workflows/reform-task/assessment-rules.json' with { type: 'json' };

/**
 * What a rule counts, each read from one audit entry: VERIFY of a report made on time (or late),
 * DEADLINE_PASSED, REJECT, URGE, ESCALATE (an interview starts), REFER, CLOSE with commend; a reporting
 * cycle's CYCLE_DUE for each part not reported (`unreported`: only that part's unit, as lead or responsible);
 * and each of the four judgements (四个是否) answered 是 (`check-passed`) or 否 (`check-failed`) at VERIFY,
 * or named as failed by REJECT (`check-failed`).
 */
export const assessmentTriggers = [
  'verified-on-time',
  'verified-late',
  'overdue',
  'rejected',
  'urge',
  'interview',
  'referral',
  'commendation',
  'unreported',
  'check-passed',
  'check-failed',
] as const;

export type AssessmentTrigger = (typeof assessmentTriggers)[number];

const rule = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'id must be lower-case kebab-case'),
  trigger: z.enum(assessmentTriggers),
  /** Who the points go to: the task's lead units, or its responsible (supporting) units. */
  appliesTo: z.enum(['lead', 'responsible']),
  points: z.number().finite(),
  /** For `check-passed` / `check-failed`: only this judgement (e.g. effectSignificant 改革成效是否显著); any of the four when absent. */
  check: z.enum(verificationChecks).optional(),
  /** Short Chinese text, shown as the reason for each point. */
  description: z.string().trim().min(1).max(100),
});

/** Schema of `workflows/reform-task/assessment-rules.json`. */
export const assessmentRulesSchema = z
  .strictObject({
    version: z.string().trim().min(1).max(50),
    title: z.string().trim().min(1).max(200),
    base: z.number().finite(),
    /** Collective wordings that name no accountable unit (e.g. 市级各有关部门): never scored. */
    notAssessed: z.array(z.string().trim().min(1).max(100)).default([]),
    rules: z.array(rule).min(1),
  })
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    rules.rules.forEach((r, index) => {
      if (r.check !== undefined && r.trigger !== 'check-passed' && r.trigger !== 'check-failed') {
        context.addIssue({ code: 'custom', path: ['rules', index, 'check'], message: 'check applies only to the triggers check-passed and check-failed' });
      }
      if (seen.has(r.id)) context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
    });
  });

export type AssessmentRules = z.output<typeof assessmentRulesSchema>;
export type AssessmentRule = AssessmentRules['rules'][number];

/**
 * Validates assessment rules read from `source` (named in the error). Pure; throws an Error listing
 * every problem with its path, e.g. `rules[2].points: Invalid input: expected number, received string`.
 */
export function parseAssessmentRules(json: unknown, source = 'assessment rules'): AssessmentRules {
  const parsed = assessmentRulesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${formatPath(issue.path) || '(root)'}: ${issue.message}`);
  throw new Error(`invalid ${source}:\n${problems.join('\n')}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
}

/** The rules shipped in `workflows/reform-task/assessment-rules.json`, validated when this module loads. */
export const defaultAssessmentRules: AssessmentRules = parseAssessmentRules(rulesJson, 'workflows/reform-task/assessment-rules.json');
