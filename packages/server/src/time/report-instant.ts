import { DAY_MS, endOfDayShanghai, isCalendarDate } from '@duban/reform-task';
import type { Period } from './report-time.ts';
import { periodBounds, shanghaiDate } from './report-time.ts';

/** A report's time input that cannot be used, naming the input (`asOf`, `from`, `to`). */
export class ReportInstantError extends Error {
  override readonly name = 'ReportInstantError';

  constructor(
    readonly field: 'asOf' | 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a report is as of: now when absent; an ISO 8601 instant with its offset; or a date
 * `YYYY-MM-DD`, meaning the end of that day in Asia/Shanghai (截至当日), or now when that day is today.
 * A report about a time still to come is refused: its figures would be guesses. Pure; throws
 * ReportInstantError.
 */
export function reportAsOf(text: string | undefined, now: Date): Date {
  if (text === undefined) return now;
  let at: number;
  if (isCalendarDate(text)) {
    const end = endOfDayShanghai(text) - 1;
    // Today: as of now. A day still to come stays after now and is refused below.
    at = end > now.getTime() && end - DAY_MS < now.getTime() ? now.getTime() : end;
  } else {
    const match = INSTANT.exec(text);
    at = match !== null && isCalendarDate(match[1]!) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) throw new ReportInstantError('asOf', `must be an ISO 8601 instant such as 2023-08-31T18:00:00+08:00 or a date such as 2023-08-31, got ${JSON.stringify(text)}`);
  }
  if (at > now.getTime()) throw new ReportInstantError('asOf', `must not be after the server's current time ${now.toISOString()}, got ${JSON.stringify(text)}`);
  return new Date(at);
}

/**
 * A circular's period checked: `from` and `to` are dates (`YYYY-MM-DD`) or months (`YYYY-MM`), `from`
 * not after `to`, and `to` not after today (Asia/Shanghai). Pure; throws ReportInstantError.
 */
export function reportPeriod(from: string, to: string, now: Date): Period {
  const period = { from, to };
  for (const field of ['from', 'to'] as const) {
    try {
      periodBounds({ from: period[field], to: period[field] });
    } catch {
      throw new ReportInstantError(field, `must be a date YYYY-MM-DD or a month YYYY-MM, got ${JSON.stringify(period[field])}`);
    }
  }
  const first = periodBounds({ from, to: from }).fromDate;
  const end = periodBounds({ from: to, to }).toDate;
  if (first > end) throw new ReportInstantError('from', `must not be after to: the period from ${first} to ${end} is empty`);
  const today = shanghaiDate(now.getTime());
  if (end > today) throw new ReportInstantError('to', `must not be after today (${today}): a circular reports on what has happened, got ${JSON.stringify(to)} (ends ${end})`);
  return period;
}
