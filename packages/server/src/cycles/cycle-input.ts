import type { CycleSettings } from '@duban/reform-task';
import { cycleFrequencies, DUE_DAY_MESSAGE } from '@duban/reform-task';
import { z } from 'zod';

/** A cycle's key in a path: `2023-06` (monthly) or `2023-Q3` (quarterly). */
export const cycleKeyParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be a cycle key such as 2023-06 or 2023-Q3');

/** A task in a path: its number in the plan (5), or its id (`2023.5`). */
export const taskRefParam = z.string().regex(/^(\d{1,6}|[A-Za-z0-9][A-Za-z0-9._-]{0,120})$/, 'must be a task number or id');

/**
 * The cycles as the office sends them (the API's PUT body, the form's fields as numbers): a frequency,
 * the due day (1–28 or `last`: 月末; not needed for `none`), the reminder's lead in days (3 by default).
 * Chinese messages for people: a day 29–31 is pointed at 月末.
 */
export const cyclesBody = z
  .strictObject({
    frequency: z.enum(cycleFrequencies, { message: '报送周期须为 monthly（每月）、quarterly（每季度）或 none（不设）' }),
    day: z.union([z.literal('last'), z.number({ message: '报送日须为 1–28 日或“月末”（last）' }).int(DUE_DAY_MESSAGE).min(1, DUE_DAY_MESSAGE).max(28, DUE_DAY_MESSAGE)]).optional(),
    remindDays: z.number({ message: '提前提醒天数须为 0–20 的整数' }).int('提前提醒天数须为 0–20 的整数').min(0, '提前提醒天数须为 0–20 的整数').max(20, '提前提醒天数须为 0–20 的整数').optional(),
  })
  .refine((body) => body.frequency === 'none' || body.day !== undefined, { path: ['day'], message: '请选择报送日（1–28 日或“月末”）' });

/** The settings a valid body stands for. Pure. */
export function settingsOf(body: z.output<typeof cyclesBody>): CycleSettings {
  return { frequency: body.frequency, day: body.day ?? 1, remindDays: body.remindDays ?? 3 };
}
