import { buildTask } from './build-task.ts';
import type { FieldAt, TaskContext } from './build-task.ts';
import type { ClassifiedLine } from './classify-line.ts';
import { cleanMarkdownLine } from './clean-markdown-line.ts';
import { foldText } from './fold-text.ts';
import { parseChineseNumeral } from './parse-chinese-numeral.ts';
import type { PlanTask, PlanWarning } from './plan-schema.ts';
import type { UnknownUnitAt } from './read-unit-fields.ts';

interface TableColumns {
  number: number | null;
  text: number;
  lead: number | null;
  /** Every 责任单位/配合单位/协办单位 column; a table may have several. */
  responsible: number[];
  deadline: number | null;
}

/**
 * Reads a Markdown task table (| 序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限 |), one task per
 * row. Rows without a number in a 序号 column are numbered on from `nextNumber`. Null when the
 * rows are not a task table (no task column, or no unit or deadline column).
 */
export function readTaskTable(
  rows: readonly ClassifiedLine[],
  context: TaskContext,
  nextNumber: number,
): { tasks: Array<{ task: PlanTask; line: number }>; warnings: PlanWarning[]; unknown: UnknownUnitAt[] } | null {
  const [header, ...body] = rows;
  const columns = header ? tableColumns(splitRow(header.text)) : null;
  if (!columns) return null;
  const tasks: Array<{ task: PlanTask; line: number }> = [];
  const warnings: PlanWarning[] = [];
  const unknown: UnknownUnitAt[] = [];
  let number = nextNumber;
  for (const row of body) {
    const cells = splitRow(row.text);
    if (cells.every((cell) => cell === '' || /^:?-{2,}:?$/.test(cell))) continue;
    const written = columns.number === null ? null : readNumber(cells[columns.number] ?? '');
    number = written ?? number;
    const fields: FieldAt[] = [];
    const addField = (column: number | null, role: FieldAt['role'], label: string): void => {
      const value = column === null ? '' : (cells[column] ?? '');
      if (value !== '') fields.push({ role, label, value, line: row.line });
    };
    addField(columns.lead, 'lead', '牵头单位');
    for (const column of columns.responsible) addField(column, 'responsible', '责任单位');
    addField(columns.deadline, 'deadline', '完成时限');
    const built = buildTask(
      { number, line: row.line, text: cells[columns.text] ?? '', textLine: row.line, fields },
      context,
    );
    tasks.push({ task: built.task, line: row.line });
    for (const warning of built.warnings) warnings.push(warning);
    for (const unit of built.unknown) unknown.push(unit);
    number += 1;
  }
  return { tasks, warnings, unknown };
}

/** True when the rows start with the header of a task table. */
export function isTaskTable(rows: readonly ClassifiedLine[]): boolean {
  const header = rows[0];
  return header !== undefined && tableColumns(splitRow(header.text)) !== null;
}

/** True when the cells are the header row of a task table (任务 and a unit or deadline column, in any order and wording). */
export function isTaskTableHeader(cells: readonly string[]): boolean {
  const written = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  // A title merged across the columns repeats one text; a header names several.
  return new Set(written).size >= 2 && !written.some((cell) => /^\d+$/.test(cell)) && tableColumns(cells) !== null;
}

function tableColumns(headers: readonly string[]): TableColumns | null {
  const folded = headers.map((cell) => foldText(cell));
  const find = (pattern: RegExp, taken: ReadonlyArray<number | null>): number | null => {
    const index = folded.findIndex((cell, column) => pattern.test(cell) && !taken.includes(column));
    return index === -1 ? null : index;
  };
  const number = find(/^(?:序号|编号|序|no\.?)$/i, []);
  const lead = find(/牵头|负责单位|负责部门|主责/, [number]);
  const responsible = folded.flatMap((cell, column) => (/责任|配合|协办|参与|协同/.test(cell) && column !== number && column !== lead ? [column] : []));
  const deadline = find(/时限|时间|期限|节点|日期/, [number, lead, ...responsible]);
  const taken = [number, lead, ...responsible, deadline];
  const text = find(/任务|内容|措施|事项|工作|要点/, taken) ?? find(/./, taken);
  if (text === null || (lead === null && responsible.length === 0 && deadline === null)) return null;
  return { number, text, lead, responsible, deadline };
}

function splitRow(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cleanMarkdownLine(cell.replace(/\\\|/g, '|')));
}

function readNumber(cell: string): number | null {
  const folded = foldText(cell).replace(/[（）.、\s]/g, '');
  if (/^\d{1,3}$/.test(folded)) return Number(folded);
  return folded.length <= 5 ? parseChineseNumeral(folded) : null;
}
