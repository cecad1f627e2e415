import { z } from 'zod';
import { PlanImportRefused } from './plan-import-refused.ts';
import type { PlanImportChoices } from './plan-importer.ts';

const unitName = z.string().trim().min(1).max(100);

/** What `POST /api/plans` takes beside the plan (JSON members, or multipart text fields). */
export const planChoicesSchema = z.strictObject({
  planId: z.string().trim().min(1).max(80).describe("the plan's id: letters, digits, '.', '_', '-'; prefixes every task id"),
  title: z.string().trim().max(200).optional(),
  year: z.number().int().min(1949).max(2999).optional(),
  issuer: z.string().trim().max(200).optional(),
  unitMappings: z.record(unitName, unitName).optional().describe('{ unknown unit: registry unit }: the plan is rewritten to name the registry unit'),
  addUnknownUnits: z.boolean().optional().describe('add every unknown unit not mapped to the unit registry'),
  lateFromImport: z.boolean().optional().describe('default true: deadlines already past count from the import (no escalation, no deduction before it)'),
  warningLeadDays: z.number().int().min(0).max(60).optional(),
  escalateAfterDays: z.number().int().min(0).max(365).optional(),
});

/**
 * The choices of an import from a JSON body's members or a form's text fields (numbers, booleans and
 * `unitMappings` written as text there); throws PlanImportRefused('invalid') naming each bad field. Pure.
 */
export function planChoices(fields: Readonly<Record<string, unknown>>): PlanImportChoices {
  const parsed = planChoicesSchema.safeParse(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== '').map(([name, value]) => [name, typed(name, value)])));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'body', message: chineseIssue(issue) }));
    throw new PlanImportRefused('invalid', `the import's fields are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

function typed(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (name) {
    case 'year':
    case 'warningLeadDays':
    case 'escalateAfterDays':
      return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    case 'addUnknownUnits':
    case 'lateFromImport':
      return value === 'true' || value === '1' || value === 'on' ? true : value === 'false' || value === '0' ? false : value;
    case 'unitMappings':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

function chineseIssue(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? '');
  const names: Record<string, string> = {
    planId: '计划编号', title: '计划名称', year: '年度', issuer: '印发单位', unitMappings: '单位对应', addUnknownUnits: '新增单位',
    lateFromImport: '逾期起算', warningLeadDays: '预警提前天数', escalateAfterDays: '自动约谈天数',
  };
  if (issue.code === 'unrecognized_keys') return `不认识的字段：${issue.keys.join('、')}`;
  if (field === 'planId' && issue.code === 'invalid_type') return '请填写计划编号';
  return `${names[field] ?? field}填写不正确`;
}

/** What `POST /api/plans/:id/revisions` takes beside the revised plan: the preview's basis, the changes chosen, the reason. */
export const revisionChoicesSchema = z.strictObject({
  basis: z.string().trim().regex(/^[0-9a-f]{32}$/, '须为预览所得的 basis').describe("the preview's `basis`: refused (409) when the plan has changed since"),
  apply: z.array(z.string().trim().min(1).max(200)).min(1, '请至少选择一项修订').max(2000).describe('ids of the changes to apply, as the preview names them'),
  reason: z
    .string()
    .trim()
    .min(1, '请填写修订依据')
    .max(1000)
    .refine((value) => /[^\s\p{Cf}]/u.test(value), '请填写修订依据')
    .describe('why (e.g. 市委深改委第5次会议审议通过的修订稿): recorded in every entry the revision writes'),
});

/**
 * A revision's choices from a JSON body's members or a form's text fields: `apply` as a list, as
 * text (comma- or line-separated), or as checkboxes `apply:<change id>`. Throws
 * PlanImportRefused('invalid') naming each bad field. Pure.
 */
export function revisionChoices(fields: Readonly<Record<string, unknown>>): z.output<typeof revisionChoicesSchema> {
  const checked = Object.keys(fields).filter((name) => name.startsWith('apply:')).map((name) => name.slice('apply:'.length));
  const { apply, ...rest } = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.startsWith('apply:') && name !== '_csrf'));
  const listed = typeof apply === 'string' ? apply.split(/[,\n]/).map((id) => id.trim()).filter((id) => id !== '') : apply;
  const parsed = revisionChoicesSchema.safeParse({ ...rest, apply: listed === undefined ? checked : Array.isArray(listed) ? [...listed, ...checked] : listed });
  if (!parsed.success) {
    const names: Record<string, string> = { basis: '预览依据（basis）', apply: '所选修订', reason: '修订依据' };
    const issues = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? 'body');
      const message = issue.code === 'unrecognized_keys' ? `不认识的字段：${issue.keys.join('、')}` : issue.code === 'invalid_type' ? `请填写${names[field] ?? field}` : issue.message;
      return { path: issue.path.join('.') || 'body', message };
    });
    const distinct = issues.filter((issue, index) => issues.findIndex((other) => other.path === issue.path && other.message === issue.message) === index);
    throw new PlanImportRefused('invalid', `the revision's fields are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, distinct);
  }
  return parsed.data;
}
