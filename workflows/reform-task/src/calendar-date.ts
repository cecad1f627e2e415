import { z } from 'zod';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Asia/Shanghai's offset from UTC: it has kept UTC+8 without daylight saving since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `text` a real calendar date written `YYYY-MM-DD`? Pure. */
export function isCalendarDate(text: string): boolean {
  const match = CALENDAR_DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** A calendar date `YYYY-MM-DD` (schema). */
export const calendarDate = z.string().refine(isCalendarDate, { message: '日期须为有效的 YYYY-MM-DD' });

/**
 * The instant a day ends in Asia/Shanghai, as epoch ms: "2023-06-30" -> 2023-07-01T00:00+08:00
 * (= Date.parse('2023-06-30T16:00:00Z')). Pure; throws on a malformed date.
 */
export function endOfDayShanghai(date: string): number {
  if (!isCalendarDate(date)) throw new Error(`not a calendar date: ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00Z`) + DAY_MS - SHANGHAI_OFFSET_MS;
}
