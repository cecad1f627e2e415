import { DAY_MS, endOfDayShanghai, isCalendarDate } from '@duban/reform-task';
import type { Period } from './calendar.ts';
import { periodBounds, shanghaiDate } from './calendar.ts';

/*
 * The one reader of "as of" inputs for the API, the pages and the CLI: the instant a view is as of,
 * a moment of a day, a circular's period, a command's instant. Each refusal is an AsOfError naming
 * its field, in English (the API's detail, logs, the CLI) and in Chinese (the pages).
 */

/** What a view is as of: an instant, and whether that is now (the read model answers) or the past (the log is replayed). */
export interface AsOf {
  readonly at: Date;
  readonly now: boolean;
}

/** The ISO 8601 instants duban accepts: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `Z` or an offset. */
export const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date, or a date with a time and offset: what an `asOf` may be. */
export const AS_OF_TEXT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Why a time input was refused: malformed, still to come, a bad period, a bad or future moment of a day. */
export type AsOfRefusal = 'malformed' | 'future' | 'period' | 'moment' | 'future-moment';

/** A time input that cannot be used. */
export class AsOfError extends Error {
  override readonly name = 'AsOfError';

  constructor(
    /** The input: `asOf`, `from`, `to`, `time`, or a CLI flag's name. */
    readonly field: string,
    readonly refusal: AsOfRefusal,
    /** English, for the API's detail, logs and the CLI. */
    message: string,
    /** What a person reads beside the field, in Chinese. */
    readonly zh: string,
  ) {
    super(message);
  }
}

/** `at`, saying whether it is `now`. */
function asOfAt(at: number, now: Date): AsOf {
  return at === now.getTime() ? { at: now, now: true } : { at: new Date(at), now: false };
}

/**
 * What a view is as of: now when `text` is absent; an ISO 8601 instant with its offset; or a date
 * `YYYY-MM-DD`, meaning the end of that day in Asia/Shanghai (截至当日), or now when that day is today.
 * A time still to come is refused: its figures would be guesses. Pure; throws AsOfError.
 */
export function asOf(text: string | undefined, now: Date, field = 'asOf'): AsOf {
  if (text === undefined) return { at: now, now: true };
  let at: number;
  if (isCalendarDate(text)) {
    const end = endOfDayShanghai(text) - 1;
    // Today: as of now. A day still to come stays after now and is refused below.
    at = end > now.getTime() && end - DAY_MS < now.getTime() ? now.getTime() : end;
  } else {
    const match = ISO_INSTANT.exec(text);
    at = match !== null && isCalendarDate(match[1]!) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) {
      throw new AsOfError(field, 'malformed', `must be an ISO 8601 instant such as 2023-08-31T18:00:00+08:00 or a date such as 2023-08-31, got ${JSON.stringify(text)}`, '须为 YYYY-MM-DD 格式的日期');
    }
  }
  if (at > now.getTime()) {
    const today = shanghaiDate(now.getTime());
    throw new AsOfError(field, 'future', `must not be after the server's current time ${now.toISOString()}, got ${JSON.stringify(text)}`, `日期不能晚于今天（${today}）`);
  }
  return asOfAt(at, now);
}

/**
 * A moment of a day, "as of YYYY-MM-DD HH:MM[:SS]" in Asia/Shanghai: the end of that minute or second,
 * or now when that is still running. A moment after now is refused. Pure; throws AsOfError (field `time`).
 */
export function asOfMoment(date: string, time: string, now: Date): AsOf {
  const withSeconds = time.length === 8;
  const start = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(time) && isCalendarDate(date) ? Date.parse(`${date}T${withSeconds ? time : `${time}:00`}+08:00`) : Number.NaN;
  if (Number.isNaN(start)) throw new AsOfError('time', 'moment', `time ${time} is not a time of day`, '时刻须为“时:分”或“时:分:秒”，如 09:30');
  if (start > now.getTime()) throw new AsOfError('time', 'future-moment', `${date}T${time}+08:00 is after now (${now.toISOString()})`, `时刻 ${date} ${time} 晚于现在`);
  return asOfAt(Math.min(start + (withSeconds ? 999 : 59_999), now.getTime()), now);
}

/**
 * A circular's period checked: `from` and `to` are dates (`YYYY-MM-DD`) or months (`YYYY-MM`), `from`
 * not after `to`, and `to` not after today (Asia/Shanghai). Pure; throws AsOfError (field `from` or `to`).
 */
export function reportPeriod(from: string, to: string, now: Date): Period {
  const period = { from, to };
  const zh = { from: '起始日期须为有效日期，且不能晚于截止日期', to: '截止日期须为有效日期，且不能晚于今天' };
  const refuse = (field: 'from' | 'to', message: string) => new AsOfError(field, 'period', message, zh[field]);
  for (const field of ['from', 'to'] as const) {
    try {
      periodBounds({ from: period[field], to: period[field] });
    } catch {
      throw refuse(field, `must be a date YYYY-MM-DD or a month YYYY-MM, got ${JSON.stringify(period[field])}`);
    }
  }
  const first = periodBounds({ from, to: from }).fromDate;
  const end = periodBounds({ from: to, to }).toDate;
  if (first > end) throw refuse('from', `must not be after to: the period from ${first} to ${end} is empty`);
  const today = shanghaiDate(now.getTime());
  if (end > today) throw refuse('to', `must not be after today (${today}): a circular reports on what has happened, got ${JSON.stringify(to)} (ends ${end})`);
  return period;
}

/** An assessment period resolved: its days, its first millisecond, and what it is as of (its end, or now while it runs). */
export interface AssessmentPeriod {
  /** As asked: `2023Q3` or `2023`. */
  readonly name: string;
  readonly period: { readonly from: string; readonly to: string };
  /** Epoch ms of its first millisecond: facts before it do not count. */
  readonly since: number;
  readonly asOf: AsOf;
}

/**
 * An assessment period: a quarter `YYYYQn` or a year `YYYY` (Asia/Shanghai days). One that has not
 * begun is refused; one still running is as of now, an ended one as of its last millisecond. Pure;
 * throws AsOfError (field `period`).
 */
export function assessmentPeriod(text: string, now: Date, field = 'period'): AssessmentPeriod {
  const match = /^(\d{4})(?:Q([1-4]))?$/.exec(text);
  if (match === null) throw new AsOfError(field, 'period', `must be a quarter such as 2023Q3 or a year such as 2023, got ${JSON.stringify(text)}`, '考核期间须为季度（如 2023Q3）或年度（如 2023）');
  const year = match[1]!;
  const quarter = match[2] === undefined ? undefined : Number(match[2]);
  const from = quarter === undefined ? `${year}-01` : `${year}-${String(quarter * 3 - 2).padStart(2, '0')}`;
  const to = quarter === undefined ? `${year}-12` : `${year}-${String(quarter * 3).padStart(2, '0')}`;
  const bounds = periodBounds({ from, to });
  if (bounds.start > now.getTime()) {
    throw new AsOfError(field, 'future', `the period ${text} has not begun (it starts ${bounds.fromDate})`, `考核期间 ${text} 尚未开始`);
  }
  return { name: text, period: { from: bounds.fromDate, to: bounds.toDate }, since: bounds.start, asOf: asOfAt(Math.min(bounds.end, now.getTime()), now) };
}

/** An instant given on the command line: ISO 8601 with its offset, or a bare date meaning 00:00 of that day in Asia/Shanghai. Pure; throws AsOfError. */
export function parseInstant(text: string, field: string): Date {
  const full = isCalendarDate(text) ? `${text}T00:00:00+08:00` : text;
  const match = ISO_INSTANT.exec(full);
  const ms = match !== null && isCalendarDate(match[1]!) ? Date.parse(full) : Number.NaN;
  if (Number.isNaN(ms)) throw new AsOfError(field, 'malformed', `must be an ISO 8601 instant such as 2023-07-01T00:00:00+08:00, got ${JSON.stringify(text)}`, '须为 ISO 8601 时刻');
  return new Date(ms);
}
