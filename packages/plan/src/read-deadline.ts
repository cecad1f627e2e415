import { trimFieldValue } from './find-label-fields.ts';
import { foldText } from './fold-text.ts';
import { parseChineseNumeral } from './parse-chinese-numeral.ts';
import type { PlanDeadline } from './plan-schema.ts';

/** A deadline as read: `recognized` when any date or ongoing wording was found, `problem` for a warning. */
export interface DeadlineReading {
  deadline: PlanDeadline;
  recognized: boolean;
  problem: string | null;
}

const ONGOING = /长期|持续|常态|全年|每年|每半年|每季|每月|定期/;

// (?<!\d) keeps a match from starting inside a longer number, e.g. the "23" of "2023-2025年".
const DATE_TOKEN = new RegExp(
  [
    String.raw`(?<!\d)(?:(?<dayYear>\d{4})[年.\-/])?(?<dayMonth>\d{1,2})[月.\-/](?<day>\d{1,2})(?:日|号)?`,
    String.raw`(?<!\d)(?:(?<monthYear>\d{4})[年.\-/])?(?<month>\d{1,2})月份?(?<monthPart>上旬|中旬|下旬|初|中|底|末)?(?<monthBefore>前)?`,
    String.raw`(?<!\d)(?<numericYear>\d{4})[.\-/](?<numericMonth>\d{1,2})(?!\d)`,
    String.raw`(?:(?<quarterYear>\d{4})年)?第?(?<quarter>[1-4一二三四])季度`,
    String.raw`(?:(?<halfYear>\d{4})年?)?(?<half>上半年|下半年|年中|年底|年末|年内)`,
    String.raw`(?<!\d)(?<year>\d{4})年(?!\d)`,
  ].join('|'),
  'g',
);

/**
 * Reads a written deadline such as "2023年6月底前并长期坚持", "6月底完成", "年底前", "第三季度",
 * "上半年" or "长期坚持". `date` is the last day the wording allows (month ends, quarter ends,
 * leap years counted); without a year in the wording, `planYear` is used. When several dates
 * are written the latest counts. `ongoing` is set by 长期/持续/常态化/全年-style wording.
 */
export function readDeadline(written: string, planYear: number | null): DeadlineReading {
  const text = trimFieldValue(written);
  if (text === '') {
    return { deadline: { text: '', date: null, ongoing: false }, recognized: false, problem: null };
  }
  const normalized = arabicNumerals(foldText(text).replace(/\s+/g, ''));
  const ongoing = ONGOING.test(normalized);
  let contextYear = planYear;
  let latest: string | null = null;
  let problem: string | null = null;
  for (const match of normalized.matchAll(DATE_TOKEN)) {
    const groups = match.groups ?? {};
    const explicitYear = firstNumber(
      groups['dayYear'], groups['monthYear'], groups['numericYear'],
      groups['quarterYear'], groups['halfYear'], groups['year'],
    );
    if (explicitYear !== null) contextYear = explicitYear;
    if (contextYear === null) {
      problem = `完成时限“${text}”没有写年份，标题中也找不到年份`;
      continue;
    }
    const date = dateOfToken(groups, contextYear);
    if (date === null) {
      problem = `完成时限“${text}”中的日期无效`;
    } else if (latest === null || date > latest) {
      latest = date;
    }
  }
  const recognized = latest !== null || ongoing || problem !== null;
  if (!recognized) problem = `无法识别完成时限“${text}”`;
  return { deadline: { text, date: latest, ongoing }, recognized, problem };
}

function dateOfToken(groups: Record<string, string | undefined>, year: number): string | null {
  if (groups['day'] !== undefined) {
    return isoDate(year, Number(groups['dayMonth']), Number(groups['day']));
  }
  if (groups['month'] !== undefined) {
    const month = Number(groups['month']);
    const part = groups['monthPart'];
    if (part === '上旬' || part === '初') return isoDate(year, month, 10);
    if (part === '中旬' || part === '中') return isoDate(year, month, 20);
    // "6月前" reads literally as "before June begins".
    if (part === undefined && groups['monthBefore'] !== undefined) {
      if (month < 1 || month > 12) return null;
      return month === 1 ? monthEnd(year - 1, 12) : monthEnd(year, month - 1);
    }
    return monthEnd(year, month);
  }
  if (groups['numericMonth'] !== undefined) return monthEnd(year, Number(groups['numericMonth']));
  if (groups['quarter'] !== undefined) {
    const quarter = Number(groups['quarter']) || (parseChineseNumeral(groups['quarter']) ?? 0);
    return monthEnd(year, quarter * 3);
  }
  if (groups['half'] !== undefined) {
    return groups['half'] === '上半年' || groups['half'] === '年中' ? monthEnd(year, 6) : monthEnd(year, 12);
  }
  return monthEnd(year, 12);
}

function monthEnd(year: number, month: number): string | null {
  if (month < 1 || month > 12) return null;
  return isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function firstNumber(...values: Array<string | undefined>): number | null {
  const found = values.find((value) => value !== undefined);
  return found === undefined ? null : Number(found);
}

function arabicNumerals(text: string): string {
  return text
    .replace(/([〇零一二三四五六七八九]{4})年/g, (whole, numeral: string) => {
      const value = parseChineseNumeral(numeral);
      return value === null ? whole : `${value}年`;
    })
    .replace(/([一二三四五六七八九十]{1,3})(月|日|号)/g, (whole, numeral: string, unit: string) => {
      const value = parseChineseNumeral(numeral);
      return value === null ? whole : `${value}${unit}`;
    });
}

// A time phrase inside a task's sentence: "…，2023年9月底前完成。", "年底前上线", "第三季度完成".
const SENTENCE_DEADLINE = new RegExp(
  String.raw`(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:上旬|中旬|下旬|底|末)?|年底|年末|上半年|下半年|第?[一二三四1-4]季度末?)` +
    String.raw`(?:前|以前)(?:完成|实现|建成|出台|上线|落实|全面)?|(?:\d{4}年)(?:\d{1,2}月(?:底|末)?)?(?:完成|实现|建成|出台|上线)|(?:\d{4}年)?年内(?:完成|实现|建成|出台|上线)`,
  'g',
);

/** The last time phrase written in a task's sentence, as written, or null when there is none. */
export function findSentenceDeadline(text: string): string | null {
  const folded = foldText(text);
  const last = [...folded.matchAll(SENTENCE_DEADLINE)].at(-1);
  return last ? text.slice(last.index, last.index + last[0].length) : null;
}
