import { z } from 'zod';
import { calendarDate } from './calendar-date.ts';
import { unitName, unitNames } from './unit-name.ts';

/** The input of one reform-task instance: one numbered task of a plan, with the office's limits. */
export const reformTaskInput = z.strictObject({
  planId: z.string().trim().min(1).max(100),
  number: z.number().int().min(1).max(9999),
  part: z.string().trim().max(200),
  measure: z.string().trim().max(500),
  text: z.string().trim().min(1).max(10_000),
  leadUnits: unitNames(1, 50),
  responsibleUnits: unitNames(0, 200),
  deadline: z.strictObject({
    text: z.string().trim().max(200),
    date: calendarDate.nullable(),
    ongoing: z.boolean(),
  }),
  /** Members of each collective unit named on the task (e.g. 各区人民政府), resolved at import. */
  collectives: z.record(unitName, z.array(unitName).max(200)).default({}),
  warningLeadDays: z.number().int().min(0).max(60).default(3),
  escalateAfterDays: z.number().int().min(0).max(365).default(30),
  maxRejections: z.number().int().min(1).max(20).default(3),
  /**
   * A late import (epoch ms of the import): a deadline already past then counts as passed at this
   * instant, so escalation and days overdue run from the import, not from the plan's date. Absent for
   * tasks imported before their deadline, and for every task stored before late imports existed.
   */
  graceFrom: z.number().int().nonnegative().optional(),
  /**
   * A task added to a plan after its import (领导交办, 会议议定事项): why, or on whose word, as the
   * office wrote it. Absent for tasks imported with their plan.
   */
  addition: z.strictObject({ reason: z.string().trim().min(1).max(1000) }).optional(),
});

export type ReformTaskInput = z.output<typeof reformTaskInput>;
