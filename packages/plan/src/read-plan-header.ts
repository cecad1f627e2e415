import type { ClassifiedLine } from './classify-line.ts';
import { foldText } from './fold-text.ts';
import { parseChineseNumeral } from './parse-chinese-numeral.ts';
import { trimEndChars } from './trim-end-chars.ts';
import type { PlanWarning } from './plan-schema.ts';

/** What a plan says about itself, and the lines that said it. */
export interface PlanHeader {
  title: string;
  issuer: string | null;
  issuedOn: string | null;
  year: number | null;
  /** Lines used for the title, issuer and date, to be kept out of the plan's body (not a fallback title). */
  lines: ReadonlySet<number>;
  warnings: PlanWarning[];
}

const PLAN_NAME = /(?:工作要点|实施方案|行动方案|工作方案|任务清单|任务分工|分工方案|责任清单|工作计划|行动计划|重点任务|任务台账|工作任务)$/;
const STRUCTURE: ReadonlySet<ClassifiedLine['kind']> = new Set(['part', 'measure', 'item', 'labels', 'table']);
const SEAL = /[（〔]\s*(?:代章|盖章|印章)\s*[）〕]$/;
const CITY = /^(\p{Script=Han}{2,8}?[市州盟县])(?=\d{4}年|[〇零一二三四五六七八九]{4}年|人民政府)/u;

/**
 * Reads the title (a standalone "…工作要点"-style line in the front matter, else the name in
 * "关于印发…的通知" or in 《》), the issuer (the line sealed with （代章）, else the line above the
 * date), the date of issue (the first line that is only a date) and the plan's year (from the
 * title, else the date of issue). An issuer written as "市…" gets the city named in the title.
 */
export function readPlanHeader(lines: readonly ClassifiedLine[]): PlanHeader {
  const used = new Set<number>();
  const warnings: PlanWarning[] = [];
  const firstStructure = lines.findIndex((line) => STRUCTURE.has(line.kind));
  const front = (firstStructure === -1 ? lines : lines.slice(0, firstStructure)).filter((line) => line.kind === 'text');

  const title = findTitle(front, lines);
  if (title.line !== null && !title.fallback) used.add(title.line);
  if (title.fallback) {
    warnings.push({ line: title.line ?? 1, message: '未找到计划标题（如“……工作要点”），已用第一行代替' });
  }

  // A date right under a label line is that label's value wrapped, not the date of issue.
  const dateLine = lines.find((line, index) => line.kind === 'date' && lines[index - 1]?.kind !== 'labels');
  const issuedOn = dateLine ? readIssueDate(dateLine.text) : null;
  if (dateLine) used.add(dateLine.line);

  const issuerLine = findIssuerLine(lines, dateLine, title.line);
  if (issuerLine) used.add(issuerLine.line);
  const city = CITY.exec(title.text)?.[1] ?? CITY.exec(front[0]?.text ?? '')?.[1] ?? null;
  const issuer = issuerLine ? withCity(withoutSeal(issuerLine.text), city) : null;

  const yearWritten = /(\d{4})年/.exec(foldText(title.text))?.[1];
  const yearInWords = /([〇零一二三四五六七八九]{4})年/.exec(title.text)?.[1];
  const year = yearWritten
    ? Number(yearWritten)
    : yearInWords
      ? parseChineseNumeral(yearInWords)
      : issuedOn
        ? Number(issuedOn.slice(0, 4))
        : null;

  return { title: title.text, issuer, issuedOn, year, lines: used, warnings };
}

function findTitle(
  front: readonly ClassifiedLine[],
  all: readonly ClassifiedLine[],
): { text: string; line: number | null; fallback: boolean } {
  const standalone = front.find((line) => {
    const folded = trimEndChars(foldText(line.text), '。');
    return folded.length <= 80 && PLAN_NAME.test(folded) && !/关于|印发|通知|《/.test(folded);
  });
  if (standalone) return { text: trimEndChars(standalone.text, '。'), line: standalone.line, fallback: false };
  for (const line of front) {
    const notice = /关于印发(.+?)的通知/.exec(line.text);
    if (notice?.[1]) return { text: notice[1].replace(/[\s《》]/g, ''), line: line.line, fallback: false };
  }
  for (const line of front) {
    const quoted = [...line.text.matchAll(/《([^《》]+)》/g)].find((match) => PLAN_NAME.test(match[1] ?? ''));
    if (quoted?.[1]) return { text: quoted[1], line: null, fallback: false };
  }
  const first = all.find((line) => line.kind !== 'blank');
  if (!first) return { text: '', line: null, fallback: false };
  return { text: first.text.length <= 80 ? first.text : `${first.text.slice(0, 80)}…`, line: first.line, fallback: true };
}

function findIssuerLine(
  lines: readonly ClassifiedLine[],
  dateLine: ClassifiedLine | undefined,
  titleLine: number | null,
): ClassifiedLine | undefined {
  const sealed = lines.find((line) => line.kind === 'text' && SEAL.test(foldText(line.text)));
  if (sealed) return sealed;
  if (!dateLine) return undefined;
  const above = lines.slice(0, lines.indexOf(dateLine)).reverse().find((line) => line.kind !== 'blank');
  const looksLikeName = (text: string): boolean =>
    text.length <= 60 && !/[。；：，]$/.test(foldText(text)) && /(?:办公室|人民政府|领导小组|委员会|局|委|中心|厅|部|办)$/.test(text);
  if (above && above.kind === 'text' && above.line !== titleLine && looksLikeName(above.text)) return above;
  return undefined;
}

function withoutSeal(text: string): string {
  const seal = SEAL.exec(foldText(text));
  return (seal ? text.slice(0, seal.index) : text).trim();
}

function withCity(issuer: string, city: string | null): string {
  if (city === null || !issuer.startsWith('市') || issuer.startsWith('市场')) return issuer;
  return `${city}${issuer.slice(1)}`;
}

function readIssueDate(text: string): string | null {
  const folded = foldText(text).replace(/\s+/g, '');
  const digits = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(folded);
  const words = /^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/.exec(folded);
  const parts = digits
    ? [digits[1], digits[2], digits[3]].map(Number)
    : words
      ? [words[1], words[2], words[3]].map((numeral) => parseChineseNumeral(numeral ?? ''))
      : null;
  if (!parts) return null;
  const [year, month, day] = parts;
  if (year == null || month == null || day == null) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
