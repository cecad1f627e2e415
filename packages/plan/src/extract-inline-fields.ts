import { findLabelFields, startsWithLabel } from './find-label-fields.ts';
import type { LabelField } from './find-label-fields.ts';
import { foldText } from './fold-text.ts';
import { trimEndChars } from './trim-end-chars.ts';

// Matched on text whose end is trimmed: `\s*…\s*$` around an optional mark backtracks quadratically.
const TRAILING_BRACKET = /[（〔]([^（）〔〕]*)[）〕] {0,3}([。；.]?)$/;

/**
 * Splits labelled fields written inside a task's text, e.g.
 * "…改革。（牵头单位：市发改委；责任单位：各区人民政府）" or "…〔牵头单位：X，责任单位：Y〕。":
 * `text` is what comes before them (keeping a 。 written after the closing bracket), `fields`
 * the labelled values. Without any label, the text comes back unchanged with no fields.
 */
export function extractInlineFields(written: string): { text: string; fields: LabelField[] } {
  const folded = foldText(written.trimEnd());
  const bracket = TRAILING_BRACKET.exec(folded);
  if (bracket && startsWithLabel(bracket[1] ?? '')) {
    const innerStart = bracket.index + 1;
    const inner = written.slice(innerStart, innerStart + (bracket[1] ?? '').length);
    const punctuation = bracket[2] ? written.charAt(folded.lastIndexOf(bracket[2])) : '';
    return {
      text: written.slice(0, bracket.index).trimEnd() + punctuation,
      fields: findLabelFields(inner).fields,
    };
  }
  const { before, fields } = findLabelFields(written);
  if (fields.length === 0) return { text: written, fields: [] };
  // A bracket opened before the first label and never closed at the end: drop the opening mark.
  return { text: trimEndChars(before, '（〔(［【['), fields };
}
