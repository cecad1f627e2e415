import { cleanMarkdownLine } from './clean-markdown-line.ts';
import { startsWithLabel } from './find-label-fields.ts';
import { foldText } from './fold-text.ts';
import { parseChineseNumeral } from './parse-chinese-numeral.ts';

/**
 * part: 一、… / 第一部分 … · measure: （一）… · item: 1. / 1、 / 1． / （1） … · labels: starts with
 * 牵头单位：/责任单位：/完成时限：… · date: a line that is only a date · table: a Markdown table
 * row · text: anything else · blank.
 */
export type LineKind = 'blank' | 'part' | 'measure' | 'item' | 'labels' | 'date' | 'table' | 'text';

/** A line of a plan document, cleaned of Markdown, with what kind of line it is. */
export interface ClassifiedLine {
  /** 1-based line number in the document. */
  line: number;
  kind: LineKind;
  /** The cleaned line, as written. */
  text: string;
  /** For part, measure and item lines: the heading number. */
  number: number | null;
  /** For part, measure and item lines: what follows the number, as written. */
  rest: string;
  /** For item lines numbered "（1）" rather than "1.". */
  paren?: true;
}

const CN_NUMERAL = '[〇零一二两三四五六七八九十百]{1,5}';
const PART = new RegExp(`^(?:第(${CN_NUMERAL})部分|(${CN_NUMERAL})[、.])\\s*`);
const MEASURE = new RegExp(`^（(${CN_NUMERAL})）\\s*`);
// The digit look-ahead keeps a wrapped line such as "4.5吨以下货车…" from reading as item 4.
const ITEM = /^(\d{1,3})\s*[.、](?!\d)\s*/;
const PAREN_ITEM = /^（\s*(\d{1,3})\s*）\s*/;
const DATE_LINE = /^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$/;

/** Classifies one raw line of a plan document (1-based `line`). */
export function classifyLine(raw: string, line: number): ClassifiedLine {
  const text = cleanMarkdownLine(raw);
  const folded = foldText(text);
  const plain = (kind: LineKind): ClassifiedLine => ({ line, kind, text, number: null, rest: '' });
  if (text === '') return plain('blank');
  if (/^\|/.test(raw.trim())) return { line, kind: 'table', text: raw.trim(), number: null, rest: '' };
  if (startsWithLabel(folded)) return plain('labels');
  if (DATE_LINE.test(folded)) return plain('date');
  const numbered = numberedHeading(folded);
  if (numbered) {
    const heading: ClassifiedLine = { line, kind: numbered.kind, text, number: numbered.number, rest: text.slice(numbered.length) };
    return numbered.paren ? { ...heading, paren: true } : heading;
  }
  return plain('text');
}

function numberedHeading(folded: string): { kind: LineKind; number: number; length: number; paren?: boolean } | null {
  const item = ITEM.exec(folded);
  if (item) return { kind: 'item', number: Number(item[1]), length: item[0].length };
  const parenItem = PAREN_ITEM.exec(folded);
  if (parenItem) return { kind: 'item', number: Number(parenItem[1]), length: parenItem[0].length, paren: true };
  const measure = MEASURE.exec(folded);
  const measureNumber = measure ? parseChineseNumeral(measure[1] ?? '') : null;
  if (measure && measureNumber !== null) return { kind: 'measure', number: measureNumber, length: measure[0].length };
  const part = PART.exec(folded);
  const partNumber = part ? parseChineseNumeral(part[1] ?? part[2] ?? '') : null;
  if (part && partNumber !== null) return { kind: 'part', number: partNumber, length: part[0].length };
  return null;
}
