import { z } from 'zod';
import { verificationCheckLabels } from './reform-task-labels.ts';

/**
 * The four judgements (四个是否) the office makes when it verifies a completion report, in the order
 * the plan writes them: 政策理解是否到位, 任务要求是否落实, 难点问题是否解决, 改革成效是否显著.
 */
export const verificationChecks = ['policyUnderstood', 'requirementsMet', 'difficultiesResolved', 'effectSignificant'] as const;

export type VerificationCheck = (typeof verificationChecks)[number];

/** VERIFY's `checks`: each of the four judgements, yes or no; all four when given. */
export const verificationCheckAnswers = z.strictObject(
  Object.fromEntries(verificationChecks.map((check) => [check, z.boolean()])) as Record<VerificationCheck, z.ZodBoolean>,
);

export type VerificationCheckAnswers = Record<VerificationCheck, boolean>;

/** REJECT's `failed`: the judgements the report failed, each once, at least one. */
export const failedVerificationChecks = z
  .array(z.enum(verificationChecks))
  .min(1)
  .max(verificationChecks.length)
  .refine((items) => new Set(items).size === items.length, '同一项判断只能写一次');

/** The four judgements as a reader of the ledger or the task page reads them: 政策理解是否到位：是；…. Pure. */
export function checkAnswersText(checks: Readonly<Record<string, unknown>>): string {
  return verificationChecks.map((check) => `${verificationCheckLabels[check]}：${checks[check] === true ? '是' : checks[check] === false ? '否' : '—'}`).join('；');
}

/** The judgements a rejection named, by their Chinese labels: 改革成效是否显著、…. Pure. */
export function failedChecksText(failed: readonly unknown[]): string {
  return failed.map((check) => (Object.hasOwn(verificationCheckLabels, String(check)) ? verificationCheckLabels[check as VerificationCheck] : String(check))).join('、');
}
