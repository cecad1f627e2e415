import { z } from 'zod';

const isoDate = z.iso.date();

/** A task's deadline: `text` as written, `date` the last day it allows, `ongoing` for 长期坚持-style limits. */
export const planDeadlineSchema = z.strictObject({
  text: z.string(),
  date: isoDate.nullable(),
  ongoing: z.boolean(),
});

/** One numbered task of a plan. `part`/`measure` are the headings it sits under, null where the document has no such level. */
export const planTaskSchema = z.strictObject({
  number: z.number().int().nonnegative(),
  part: z.string().nullable(),
  measure: z.string().nullable(),
  text: z.string(),
  leadUnits: z.array(z.string().min(1)),
  responsibleUnits: z.array(z.string().min(1)),
  deadline: planDeadlineSchema,
});

/**
 * Something the parser could not read, with the 1-based line it is on: the line of a text file,
 * or for a .docx/.xlsx the paragraph or table row in reading order, which `where` then names as a
 * person finds it ("第12段", "第1个表格第3行", "工作表“任务”第5行").
 */
export const planWarningSchema = z.strictObject({
  line: z.number().int().positive(),
  message: z.string().min(1),
  where: z.string().min(1).optional(),
});

/** Plan JSON: what `parsePlan` returns and `duban plan parse FILE` prints. */
export const planSchema = z.strictObject({
  title: z.string(),
  issuer: z.string().nullable(),
  issuedOn: isoDate.nullable(),
  year: z.number().int().nullable(),
  tasks: z.array(planTaskSchema),
  requirements: z.array(z.string()),
  warnings: z.array(planWarningSchema),
});

export type Plan = z.infer<typeof planSchema>;
export type PlanTask = z.infer<typeof planTaskSchema>;
export type PlanDeadline = z.infer<typeof planDeadlineSchema>;
export type PlanWarning = z.infer<typeof planWarningSchema>;
