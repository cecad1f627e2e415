import type { CellValue, Worksheet } from 'exceljs';
import { isTaskTableHeader } from '../read-task-table.ts';
import type { DocumentLines } from './document-lines.ts';
import { tableRow } from './document-lines.ts';

/**
 * The lines of an .xlsx task table: every sheet whose header row names the task and a unit or
 * deadline column (序号 / 任务 / 牵头单位 / 责任单位 / 完成时限 in any order and wording). Rows
 * above the header (the title) are lines; each row after it a Markdown table row; a row with one
 * text across it (a merged "一、…" heading) a line of its own, the header repeated after it.
 * Merged cells give their value to every cell they cover. A formula is never evaluated: its
 * cached result is the value, and a formula without one is a warning. Async (exceljs unzips).
 */
export async function xlsxLines(bytes: Uint8Array, fileStem: string): Promise<DocumentLines> {
  // Loaded on first use: exceljs is the largest module the server would otherwise load at start (over a second of its start on a busy machine).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  const out: DocumentLines = { lines: [], where: [], warnings: [] };
  for (const sheet of workbook.worksheets) readSheet(sheet, out, fileStem);
  return out;
}

function readSheet(sheet: Worksheet, out: DocumentLines, fileStem: string): void {
  const where = (row: number): string => `工作表“${sheet.name}”第${row}行`;
  const rows: { number: number; cells: string[] }[] = [];
  const formulaWarnings: { row: number; column: number }[] = [];
  for (let number = 1; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    const cells: string[] = [];
    for (let column = 1; column <= sheet.columnCount; column += 1) {
      const read = cellText(row.getCell(column).value);
      if (read === null) formulaWarnings.push({ row: number, column });
      cells.push(read ?? '');
    }
    rows.push({ number, cells });
  }
  let headerIndex = rows.findIndex((row) => isTaskTableHeader(row.cells));
  if (headerIndex === -1) return;
  // A header of two rows (责任单位 above 牵头单位 | 配合单位): the lower one names the columns.
  while (rows[headerIndex + 1] && isTaskTableHeader(rows[headerIndex + 1]!.cells)) headerIndex += 1;
  const firstLine = out.lines.length + 1;
  const push = (line: string, place: string): void => {
    out.lines.push(line);
    out.where.push(place);
  };
  const above = rows.slice(0, headerIndex).filter((row) => !isTaskTableHeader(row.cells));
  if (firstLine === 1 && !above.some((row) => distinct(row.cells).length > 0)) push(fileStem, '文件名');
  for (const row of above) push(distinct(row.cells).join(' '), where(row.number));
  const header = rows[headerIndex]!;
  let needsHeader = true;
  const lineOf = new Map<number, number>();
  for (const row of rows.slice(headerIndex + 1)) {
    const texts = distinct(row.cells);
    if (texts.length === 0) continue;
    if (texts.length === 1 && row.cells.filter((cell) => cell.trim() !== '').length > 1) {
      push(texts[0]!, where(row.number));
      needsHeader = true;
      continue;
    }
    if (needsHeader) push(tableRow(header.cells), where(header.number));
    needsHeader = false;
    push(tableRow(row.cells), where(row.number));
    lineOf.set(row.number, out.lines.length);
  }
  for (const { row, column } of formulaWarnings) {
    out.warnings.push({
      line: lineOf.get(row) ?? firstLine,
      message: `工作表“${sheet.name}”第${row}行第${column}列是公式，且文件中没有保存计算结果；公式不会被执行，按空白处理`,
    });
  }
}

function distinct(cells: readonly string[]): string[] {
  return [...new Set(cells.map((cell) => cell.trim()).filter((cell) => cell !== ''))];
}

/** A cell's value as text; null for a formula with no cached result (never evaluated). */
function cellText(value: CellValue): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `${value.getUTCFullYear()}年${value.getUTCMonth() + 1}月${value.getUTCDate()}日`;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const { result, formula } = value as { result?: CellValue; formula?: string };
    // A DDE call such as =cmd|' /C calc'!A0: its cached value is not the plan's text either.
    if (formula !== undefined && /^[^"]*\w\s*\|/.test(formula)) return null;
    if (result === undefined || result === null || (typeof result === 'object' && 'error' in result)) return null;
    return cellText(result);
  }
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('error' in value) return '';
  return '';
}
