import { z } from 'zod';
import { DAY_MS, endOfDayShanghai, SHANGHAI_OFFSET_MS } from '../calendar-date.ts';

/** How often parts report: monthly, quarterly, or not at all. */
export const cycleFrequencies = ['monthly', 'quarterly', 'none'] as const;
export type CycleFrequency = (typeof cycleFrequencies)[number];

/** The Chinese message for a due day that some months lack (29–31): the office is pointed at 月末. */
export const DUE_DAY_MESSAGE = '报送日须为 1–28 日或“月末”：并非每个月都有 29、30、31 日，请选择“月末”';

/**
 * A plan's reporting cycles (信息报送) as the office sets them: monthly on `day` (1–28, or `last`:
 * 月末), quarterly on `day` of the quarter's first month (or `last`: 季末, the quarter's last day), or
 * none; a reminder `remindDays` before the due day. A day 29–31 is refused: it does not exist in every month.
 */
export const cycleSettings = z.strictObject({
  frequency: z.enum(cycleFrequencies),
  day: z.union([z.literal('last'), z.number().int().min(1, DUE_DAY_MESSAGE).max(28, DUE_DAY_MESSAGE)]),
  remindDays: z.number().int().min(0).max(20).default(3),
});
export type CycleSettings = z.output<typeof cycleSettings>;

/** The default reminder lead: three days before the due day. */
export const DEFAULT_REMIND_DAYS = 3;

/**
 * One reporting cycle: its key (`2023-06`, `2023-Q3`), its due day, and its window: a report at `t`
 * counts for the cycle when `opensAt <= t < dueAt` (from the previous cycle's due instant to the end
 * of this cycle's due day in Asia/Shanghai). `remindAt` is 09:00 `remindDays` days before the due day.
 */
export interface Cycle {
  readonly key: string;
  readonly dueDate: string;
  readonly opensAt: number;
  readonly dueAt: number;
  readonly remindAt: number;
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;
const QUARTER_KEY = /^(\d{4})-Q([1-4])$/;
const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The due date of the cycle numbered `index` (months or quarters since year 0). Pure. */
function dueDateOf(settings: CycleSettings, index: number): { key: string; dueDate: string } {
  if (settings.frequency === 'quarterly') {
    const year = Math.floor(index / 4);
    const quarter = index - year * 4 + 1;
    const month = settings.day === 'last' ? quarter * 3 : quarter * 3 - 2;
    const day = settings.day === 'last' ? lastDayOf(year, month) : settings.day;
    return { key: `${year}-Q${quarter}`, dueDate: `${year}-${pad(month)}-${pad(day)}` };
  }
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = settings.day === 'last' ? lastDayOf(year, month) : settings.day;
  return { key: `${year}-${pad(month)}`, dueDate: `${year}-${pad(month)}-${pad(day)}` };
}

function cycleOfIndex(settings: CycleSettings, index: number): Cycle {
  const { key, dueDate } = dueDateOf(settings, index);
  const dueAt = endOfDayShanghai(dueDate);
  const opensAt = endOfDayShanghai(dueDateOf(settings, index - 1).dueDate);
  return { key, dueDate, opensAt, dueAt, remindAt: dueAt - DAY_MS * (settings.remindDays + 1) + 9 * 3_600_000 };
}

function indexOfKey(settings: CycleSettings, key: string): number | undefined {
  const month = MONTH_KEY.exec(key);
  if (settings.frequency === 'monthly' && month !== null) return Number(month[1]) * 12 + Number(month[2]) - 1;
  const quarter = QUARTER_KEY.exec(key);
  if (settings.frequency === 'quarterly' && quarter !== null) return Number(quarter[1]) * 4 + Number(quarter[2]) - 1;
  return undefined;
}

/** The cycle a report at `at` (epoch ms) counts for: the first whose due instant is later. Undefined when there are no cycles. Pure. */
export function cycleAt(settings: CycleSettings, at: number): Cycle | undefined {
  if (settings.frequency === 'none') return undefined;
  const local = new Date(at + SHANGHAI_OFFSET_MS);
  const month = local.getUTCFullYear() * 12 + local.getUTCMonth();
  // The cycle of this month (or quarter), else the next one: its due day may be behind us.
  const index = settings.frequency === 'quarterly' ? Math.floor(month / 3) : month;
  const here = cycleOfIndex(settings, index);
  return here.dueAt > at ? here : cycleOfIndex(settings, index + 1);
}

/** The cycle named `key` under `settings` (a key of another frequency: undefined). Pure. */
export function cycleByKey(settings: CycleSettings, key: string): Cycle | undefined {
  const index = indexOfKey(settings, key);
  return index === undefined ? undefined : cycleOfIndex(settings, index);
}

/** The cycle after `key`. Pure. */
export function nextCycle(settings: CycleSettings, key: string): Cycle | undefined {
  const index = indexOfKey(settings, key);
  return index === undefined ? undefined : cycleOfIndex(settings, index + 1);
}

/** The cycle before `key`. Pure. */
export function previousCycle(settings: CycleSettings, key: string): Cycle | undefined {
  const index = indexOfKey(settings, key);
  return index === undefined ? undefined : cycleOfIndex(settings, index - 1);
}

/** The settings in words, for pages and notices: 每月5日, 每月月末, 每季度首月10日, 每季度季末, 不设报送周期. Pure. */
export function describeCycles(settings: CycleSettings | null): string {
  if (settings === null || settings.frequency === 'none') return '不设报送周期';
  if (settings.frequency === 'monthly') return settings.day === 'last' ? '每月月末' : `每月${settings.day}日`;
  return settings.day === 'last' ? '每季度季末' : `每季度首月${settings.day}日`;
}
