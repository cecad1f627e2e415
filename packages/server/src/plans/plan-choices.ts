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
