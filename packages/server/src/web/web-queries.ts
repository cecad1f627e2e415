import { isCalendarDate, reformTaskEventTypes, reformTaskStates } from '@duban/reform-task';
import { z } from 'zod';
import { taskSortKeys } from '../tasks/task-order.ts';
import { SEARCH_TEXT_MAX } from '../tasks/task-search.ts';

/** An empty query field (a filter left at 全部) counts as absent. */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

// Every message here is what a person reads beside the field of a page's form: Chinese, never zod's English.
const one = '只能填写一项';
const day = z.string({ error: one }).refine(isCalendarDate, { message: '日期须为有效的 YYYY-MM-DD' });
/** A day, or a whole month `YYYY-MM`. */
const dayOrMonth = z.string({ error: one }).regex(/^\d{4}-\d{2}(-\d{2})?$/, '须为 YYYY-MM-DD 或 YYYY-MM');
/** A yes-only tick of a link: `1`. */
const flag = z.enum(['1'], { error: '只能为 1（是）' }).transform(() => true as const);

/** A plan's id, or `all` (every plan); an unknown id is named beside the selector by the page. */
const plan = optional(z.string({ error: one }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, '请从列表中选择计划'));

const filters = {
  plan,
  state: optional(z.enum(reformTaskStates, { error: '请从列表中选择状态' })),
  light: optional(z.enum(['green', 'yellow', 'red', 'none'], { error: '请从列表中选择红黄绿灯' })),
  unit: optional(z.string({ error: one }).trim().min(1, '不能为空').max(100, '单位名称不能超过100个字')),
  part: optional(z.string({ error: one }).trim().min(1, '不能为空').max(200, '所属部分不能超过200个字')),
  overdue: optional(flag),
  done: optional(flag),
};

/** `/dashboard` and `/tasks`: filters, the day they are as of, and for the list a page. */
export const dashboardQuery = z.strictObject({ asOf: optional(day), ...filters });
export const taskListQuery = z.strictObject({
  asOf: optional(day),
  ...filters,
  q: optional(z.string({ error: one }).trim().min(1, '不能为空').max(SEARCH_TEXT_MAX, `关键词不能超过${SEARCH_TEXT_MAX}个字`)),
  sort: optional(z.enum(taskSortKeys, { error: '请从列表中选择排序方式' })),
  order: optional(z.enum(['asc', 'desc'], { error: '请从列表中选择升序或降序' })),
  dueFrom: optional(day),
  dueTo: optional(day),
  // A bar of the dashboard's 各单位承担部分 chart: one unit's own parts, of one light.
  partUnit: optional(z.string({ error: one }).trim().min(1, '不能为空').max(100, '单位名称不能超过100个字')),
  partLight: optional(z.enum(['green', 'yellow', 'red', 'none'], { error: '请从列表中选择红黄绿灯' })),
  page: optional(z.coerce.number({ error: '页码须为正整数' }).int('页码须为正整数').min(1, '页码须为正整数').max(1_000_000, '页码过大')),
});

/** `/tasks/:id`: which event was just recorded (after Post/Redirect/Get). */
export const taskPageQuery = z.strictObject({ done: optional(z.enum(reformTaskEventTypes, { error: '未知的办理事项' })) });

/** Pages as of one day. */
export const asOfQuery = z.strictObject({ asOf: optional(day) });

/** The ledger of one plan (or `all`) as of one day. */
export const planAsOfQuery = z.strictObject({ asOf: optional(day), plan });

/** `/assessment` and `/assessment.xlsx`: one plan (or `all`), as of a day or over a quarter or a year (not both). */
export const assessmentQuery = z
  .strictObject({ asOf: optional(day), plan, period: optional(z.string({ error: one }).regex(/^\d{4}(Q[1-4])?$/, '须为季度（如 2023Q3）或年度（如 2023）')) })
  .refine((q) => q.asOf === undefined || q.period === undefined, { path: ['period'], message: '截至日期和考核期间只能填写一项' });

/** `/history`: a day, and optionally a time of day on it. */
export const historyQuery = z.strictObject({
  asOf: optional(day),
  time: optional(z.string({ error: one }).regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, '时刻须为“时:分”或“时:分:秒”，如 09:30')),
});

/** `/history/diff`: two days. */
export const diffQuery = z.strictObject({ from: optional(day), to: optional(day) });

/** `/circular`: a period. */
export const periodQuery = z.strictObject({ from: optional(dayOrMonth), to: optional(dayOrMonth), plan });

/** `/audit/proof`: an entry and the log size to prove it in. */
export const proofQuery = z.strictObject({
  seq: optional(z.string({ error: one }).regex(/^\d{1,12}$/, '须为正整数').transform(Number)),
  size: optional(z.string({ error: one }).regex(/^\d{1,12}$/, '须为正整数').transform(Number)),
});

/** Pages without parameters. */
export const emptyQuery = z.strictObject({});

/** `/login`: where to go after signing in. */
export const loginQuery = z.strictObject({ next: optional(z.string({ error: one }).max(500, '地址过长')) });

/** `/notice-deliveries`: filters by state and channel, each 全部 when empty. */
export const noticeDeliveriesQuery = z.strictObject({
  status: optional(z.enum(['pending', 'delivered', 'failed', 'cancelled'], { error: '请从列表中选择状态' })),
  channel: optional(z.enum(['email', 'wecom', 'dingtalk'], { error: '请从列表中选择渠道' })),
});
