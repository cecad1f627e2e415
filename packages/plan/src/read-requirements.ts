import type { ClassifiedLine } from './classify-line.ts';
import { excerpt } from './excerpt.ts';
import type { PlanWarning } from './plan-schema.ts';

/**
 * Reads the paragraphs of a requirements section (四、工作要求): each numbered paragraph
 * ("（二十三）加强组织领导。…") is one requirement together with any paragraphs after it up to
 * the next number; unnumbered paragraphs before the first number stand alone. Date lines, tables
 * and whole-line remarks in brackets such as "（此件公开发布）" are left out; a label line here
 * belongs to no task and is reported.
 */
export function readRequirements(lines: readonly ClassifiedLine[]): { requirements: string[]; warnings: PlanWarning[] } {
  const requirements: string[] = [];
  const warnings: PlanWarning[] = [];
  let current: { parts: string[]; numbered: boolean } | null = null;
  let afterBlank = false;
  const close = (): void => {
    if (current) requirements.push(current.parts.join(''));
    current = null;
  };

  for (const line of lines) {
    if (line.kind === 'blank') {
      afterBlank = true;
      continue;
    }
    const wasAfterBlank = afterBlank;
    afterBlank = false;
    if (line.kind === 'date' || line.kind === 'table' || isBracketedRemark(line.text)) {
      close();
    } else if (line.kind === 'labels') {
      warnings.push({ line: line.line, message: `这一行的单位或时限不属于任何任务：“${excerpt(line.text)}”` });
    } else if (line.kind === 'measure' || line.kind === 'item') {
      close();
      current = { parts: [line.text], numbered: true };
    } else if (current && (current.numbered || !wasAfterBlank)) {
      current.parts.push(line.text);
    } else {
      close();
      current = { parts: [line.text], numbered: false };
    }
  }
  close();
  return { requirements, warnings };
}

function isBracketedRemark(text: string): boolean {
  return /^[（(][^（()）]*[）)]$/.test(text);
}
