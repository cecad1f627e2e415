import { DAY_MS, endOfDayShanghai } from '@duban/reform-task';
import { shanghaiDate } from '../time/calendar.ts';
import type { SupervisionEvent } from './supervision-events.ts';

/** One week (Monday to Sunday, Asia/Shanghai) of the completion trend. */
export interface CompletionWeek {
  /** Its Monday, YYYY-MM-DD. */
  readonly from: string;
  /** Its Sunday, or the day the trend is as of when the week is still running. */
  readonly to: string;
  /** Tasks verified (核验通过) within the week. */
  readonly verified: number;
  /** Tasks verified by the end of the week, since the log began. */
  readonly done: number;
}

/**
 * The completion trend by week, read from the log's supervision facts: for each week of `year` that
 * has begun by `asOf` (weeks start on Monday; the first holds 1 January), the tasks verified in it and
 * verified by its end. Pure.
 */
export function completionTrend(events: readonly SupervisionEvent[], year: number, asOf: number): CompletionWeek[] {
  const verifiedAt = events.filter((event) => event.kind === 'verified' && event.at <= asOf).map((event) => event.at).sort((a, b) => a - b);
  const today = shanghaiDate(asOf);
  const januaryFirst = `${year}-01-01`;
  // 1970-01-05 was a Monday: whole days since then, modulo 7, is the day of the week from Monday.
  const dayIndex = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse('1970-01-05T00:00:00Z')) / DAY_MS);
  const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  let monday = addDays(januaryFirst, -(((dayIndex(januaryFirst) % 7) + 7) % 7));
  const weeks: CompletionWeek[] = [];
  let next = 0;
  while (monday <= today && monday <= `${year}-12-31`) {
    const start = endOfDayShanghai(monday) - DAY_MS;
    const sunday = addDays(monday, 6);
    const to = sunday < today ? sunday : today;
    const end = Math.min(endOfDayShanghai(to) - 1, asOf);
    let verified = 0;
    while (next < verifiedAt.length && verifiedAt[next]! <= end) {
      if (verifiedAt[next]! >= start) verified += 1;
      next += 1;
    }
    weeks.push({ from: monday, to, verified, done: next });
    monday = addDays(monday, 7);
  }
  return weeks;
}
