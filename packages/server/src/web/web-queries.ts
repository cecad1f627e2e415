import { isCalendarDate, reformTaskEventTypes, reformTaskStates } from '@duban/reform-task';
import { z } from 'zod';

/** An empty query field (a filter left at 全部) counts as absent. */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

const day = z.string().refine(isCalendarDate, { message: '日期须为有效的 YYYY-MM-DD' });
/** A day, or a whole month `YYYY-MM`. */
const dayOrMonth = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, '须为 YYYY-MM-DD 或 YYYY-MM');

const filters = {
  state: optional(z.enum(reformTaskStates)),
  light: optional(z.enum(['green', 'yellow', 'red', 'none'])),
  unit: optional(z.string().trim().min(1).max(100)),
  part: optional(z.string().trim().min(1).max(200)),
};

/** `/dashboard` and `/tasks`: filters, and for the dashboard the day it is as of. */
export const dashboardQuery = z.strictObject({ asOf: optional(day), ...filters });
export const taskListQuery = z.strictObject({ ...filters, page: optional(z.coerce.number().int().min(1).max(1_000_000)) });

/** `/tasks/:id`: which event was just recorded (after Post/Redirect/Get). */
export const taskPageQuery = z.strictObject({ done: optional(z.enum(reformTaskEventTypes)) });

/** Pages as of one day. */
export const asOfQuery = z.strictObject({ asOf: optional(day) });

/** `/history`: a day, and optionally a time of day on it. */
export const historyQuery = z.strictObject({
  asOf: optional(day),
  time: optional(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, '时刻须为 HH:MM 或 HH:MM:SS')),
});

/** `/history/diff`: two days. */
export const diffQuery = z.strictObject({ from: optional(day), to: optional(day) });

/** `/circular`: a period. */
export const periodQuery = z.strictObject({ from: optional(dayOrMonth), to: optional(dayOrMonth) });

/** `/audit/proof`: an entry and the log size to prove it in. */
export const proofQuery = z.strictObject({
  seq: optional(z.string().regex(/^\d{1,12}$/, '须为正整数').transform(Number)),
  size: optional(z.string().regex(/^\d{1,12}$/, '须为正整数').transform(Number)),
});

/** Pages without parameters. */
export const emptyQuery = z.strictObject({});

/** `/login`: where to go after signing in. */
export const loginQuery = z.strictObject({ next: optional(z.string().max(500)) });
