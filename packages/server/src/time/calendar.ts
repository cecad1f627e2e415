import { DAY_MS, endOfDayShanghai, isCalendarDate, SHANGHAI_OFFSET_MS } from '@duban/reform-task';

/*
 * The one calendar of the server: Asia/Shanghai days (the plans' time zone; its offset and the
 * end-of-day rule are the workflow's, @duban/reform-task), as dates, date-times and Chinese text.
 */

/** An instant as reports take it: epoch ms or a Date. */
export type Instant = number | Date;

/** The instant as epoch ms; throws on an invalid Date or a non-finite number. Pure. */
export function instantMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new Error(`not a valid instant: ${String(instant)}`);
  return ms;
}

function shifted(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
}

/** The calendar date (Asia/Shanghai) of an instant (epoch ms or ISO), `YYYY-MM-DD`. Pure. */
export function shanghaiDate(instant: string | number): string {
  return shifted(instant).slice(0, 10);
}

/** `2023-05-15 09:00` in Asia/Shanghai, from an ISO instant or epoch ms. Pure. */
export function shanghaiDateTime(instant: string | number): string {
  const iso = shifted(instant);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** `2023-05-15T09:00:00+08:00`: an instant as Asia/Shanghai readers see it, machine-readable. Pure. */
export function shanghaiIso(instant: string | number): string {
  return `${shifted(instant).slice(0, 19)}+08:00`;
}

/** `2023-08-31` -> `2023年8月31日`. Pure. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** `2023-05-01`, `2023-08-31` -> `2023年5月1日至8月31日` (the year repeated only when it changes). Pure. */
export function chineseDateRange(from: string, to: string): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${chineseDate(from)}至${sameYear ? chineseDate(to).replace(/^\d+年/, '') : chineseDate(to)}`;
}

/** A reporting period in Asia/Shanghai calendar days: `YYYY-MM-DD`, or `YYYY-MM` for a whole month. */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/** A period resolved: its first and last calendar day, and its first and last millisecond (inclusive). */
export interface PeriodBounds {
  readonly fromDate: string;
  readonly toDate: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Resolves a period: `from` is the start of its first day, `to` the last millisecond of its last day,
 * both in Asia/Shanghai; `YYYY-MM` means the month's first day (from) or last day (to). Pure; throws
 * an Error naming the bad field when a date is malformed or `from` is after `to`.
 */
export function periodBounds(period: Period): PeriodBounds {
  const fromDate = periodDate(period.from, 'from', 'first');
  const toDate = periodDate(period.to, 'to', 'last');
  if (fromDate > toDate) throw new Error(`period from ${fromDate} is after to ${toDate}`);
  return { fromDate, toDate, start: endOfDayShanghai(fromDate) - DAY_MS, end: endOfDayShanghai(toDate) - 1 };
}

/** The last millisecond of a period: the instant to rebuild the tasks at for its circular. Pure. */
export function periodEnd(period: Period): number {
  return periodBounds(period).end;
}

function periodDate(text: string, field: string, day: 'first' | 'last'): string {
  if (isCalendarDate(text)) return text;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month !== null) {
    const [year, index] = [Number(month[1]), Number(month[2])];
    if (index >= 1 && index <= 12) {
      const last = new Date(Date.UTC(year, index, 0)).getUTCDate();
      return `${month[1]}-${month[2]}-${day === 'first' ? '01' : String(last).padStart(2, '0')}`;
    }
  }
  throw new Error(`period ${field} must be YYYY-MM-DD or YYYY-MM, got ${JSON.stringify(text)}`);
}
