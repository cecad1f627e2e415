import { buildTask } from './build-task.ts';
import type { FieldAt, TaskContext } from './build-task.ts';
import type { ClassifiedLine } from './classify-line.ts';
import { excerpt } from './excerpt.ts';
import { readUnitClauses } from './extract-unit-bracket.ts';
import { findLabelFields, trimFieldValue } from './find-label-fields.ts';
import { foldText } from './fold-text.ts';
import type { PlanTask, PlanWarning } from './plan-schema.ts';
import type { UnknownUnitAt } from './read-unit-fields.ts';

/**
 * Reads one numbered task: its head line (`1.` or `（一）`, maybe with text after the number)
 * and the lines after it up to the next task or heading. Text lines before the first label are
 * the task's text, joined without adding anything (a wrapped line stays one sentence). A line
 * right under a label line continues that label's value; other text after the labels is
 * reported, not dropped.
 */
export function readTask(
  head: ClassifiedLine,
  body: readonly ClassifiedLine[],
  context: TaskContext,
): { task: PlanTask; line: number; warnings: PlanWarning[]; unknown: UnknownUnitAt[] } {
  const warnings: PlanWarning[] = [];
  const textParts = head.rest === '' ? [] : [head.rest];
  let textLine = head.line;
  const fields: FieldAt[] = [];
  // Continuation lines of the last field: joined as a wrapped line, or one name per line
  // when the label line itself gave no value.
  let continuation: { field: FieldAt; parts: string[]; joiner: string } | null = null;
  let afterBlank = false;
  let clauses: ReturnType<typeof readUnitClauses> = null;

  const closeContinuation = (): void => {
    if (continuation) continuation.field.value = trimFieldValue(continuation.parts.join(continuation.joiner));
    continuation = null;
  };

  for (const line of body) {
    if (line.kind === 'blank') {
      afterBlank = true;
      continue;
    }
    if (line.kind === 'labels') {
      closeContinuation();
      const unwrapped = unwrapBrackets(line.text);
      const found = findLabelFields(unwrapped).fields.map((field) => ({ ...field, line: line.line }));
      for (const field of found) fields.push(field);
      const last = found.at(-1);
      if (last) {
        // Keep a separator the line ended with, so a list wrapped after "，" still splits there.
        const lastChar = foldText(unwrapped.trimEnd()).slice(-1);
        const separator = '，；、'.includes(lastChar) ? lastChar : '';
        continuation = last.value === ''
          ? { field: last, parts: [], joiner: '、' }
          : { field: last, parts: [last.value + separator], joiner: '' };
      }
    } else if (line.kind === 'text' && (clauses = readUnitClauses(line.text)) !== null) {
      // "市发改委、市财政局牵头，各区人民政府按职责分工负责。" on a line of its own.
      closeContinuation();
      for (const field of clauses) fields.push({ ...field, line: line.line });
    } else if (fields.length === 0) {
      textParts.push(line.text);
      textLine = line.line;
    } else if (continuation && !afterBlank) {
      continuation.parts.push(line.text);
    } else {
      warnings.push({ line: line.line, message: `第${head.number ?? 0}项的单位和时限之后有无法归属的文字：“${excerpt(line.text)}”` });
    }
    afterBlank = false;
  }
  closeContinuation();

  const built = buildTask(
    { number: head.number ?? 0, line: head.line, text: textParts.join(''), textLine, fields },
    context,
  );
  return { task: built.task, line: head.line, warnings: [...warnings, ...built.warnings], unknown: built.unknown };
}

function unwrapBrackets(text: string): string {
  const match = /^[（(〔【\[［]([\s\S]*)[）)〕】\]］][。；;.]?$/.exec(text);
  return match ? (match[1] ?? '') : text;
}
