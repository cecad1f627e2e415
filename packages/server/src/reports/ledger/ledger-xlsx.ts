import type ExcelJSTypes from 'exceljs';
import { PassThrough } from 'node:stream';
import type { Writable } from 'node:stream';
import type { LedgerColumn, LedgerPartRow, LedgerPiece, LedgerRow } from './ledger.ts';
import { onePiece } from '../one-piece.ts';
import { ledgerColumns as allColumns, ledgerPartColumns } from './ledger.ts';
import type { Instant } from '../../time/calendar.ts';
import { chineseDate, instantMs, shanghaiDate } from '../../time/calendar.ts';

export interface LedgerXlsxOptions {
  /** The sheet's title, e.g. 某市2023年“放管服”改革任务督办台账. */
  readonly title: string;
  /** The instant the ledger is as of; shown after the title. */
  readonly asOf: Instant;
  /** The columns, ledgerColumns by default (ledgerColumnsFor: 所属计划 first across plans). */
  readonly columns?: readonly LedgerColumn[];
  /** The rows of the sheet of parts (各单位承担部分); for `ledgerXlsx` only (the pieces bring their own). */
  readonly parts?: readonly LedgerPartRow[];
}

/** ARGB fill of each light label, and whether its text reads better in white. */
export const lightFills: Readonly<Record<string, { readonly argb: string; readonly whiteText: boolean }>> = {
  红灯: { argb: 'FFFF0000', whiteText: true },
  黄灯: { argb: 'FFFFFF00', whiteText: false },
  绿灯: { argb: 'FF00B050', whiteText: true },
};

const widths: Readonly<Record<LedgerColumn, number>> = {
  所属计划: 18,
  序号: 6,
  所属部分: 16,
  具体举措: 24,
  任务内容: 50,
  牵头单位: 16,
  责任单位: 22,
  完成时限: 18,
  当前状态: 10,
  红黄绿灯: 9,
  最新进展: 36,
  核验意见: 24,
  逾期天数: 9,
  报送情况: 12,
  约谈情况: 28,
  领导批示: 30,
  部分完成情况: 30,
};

const partWidths: Readonly<Record<(typeof ledgerPartColumns)[number] | '所属计划', number>> = {
  所属计划: 18,
  序号: 6,
  任务内容: 40,
  牵头单位: 16,
  单位: 20,
  状态: 9,
  完成进度: 9,
  最新进展: 36,
  完成情况: 36,
  完成时间: 12,
};

const centred = new Set<LedgerColumn>(['序号', '当前状态', '红黄绿灯', '逾期天数', '报送情况']);
const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * The ledger as an .xlsx workbook (written by exceljs): a title row, the header frozen under it with
 * a filter, fixed column widths, wrapped text, each light cell filled in its colour, A4 landscape
 * printing with the title and header repeated. No IO; resolves the file's bytes.
 */
export async function ledgerXlsx(rows: readonly LedgerRow[], options: LedgerXlsxOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const pieces = options.parts === undefined ? onePiece(rows) : onePiece<LedgerPiece>({ rows, parts: options.parts });
  for await (const chunk of ledgerXlsxPieces(pieces, options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The same workbook as it is written, as the rows come (exceljs's streaming writer): each ledger row
 * leaves memory once written, so a plan of any size is never held whole. Pieces that bring their
 * tasks' parts (`ledgerSheetPieces`) add a second sheet, 各单位承担部分, one row per part: those rows
 * are kept until the ledger sheet is done (a streamed workbook writes its sheets one after the other;
 * a part row is a few short strings). A failure of `rows` fails the pieces.
 */
export function ledgerXlsxPieces(rows: AsyncIterable<readonly LedgerRow[] | LedgerPiece>, options: LedgerXlsxOptions): AsyncIterable<Buffer> {
  const out = new PassThrough();
  writeLedgerXlsx(rows, options, out).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function writeLedgerXlsx(rows: AsyncIterable<readonly LedgerRow[] | LedgerPiece>, options: LedgerXlsxOptions, stream: Writable): Promise<void> {
  const asOf = instantMs(options.asOf);
  // The first rows before the first byte: a failure to read them is still answered as a problem.
  const pieces = rows[Symbol.asyncIterator]();
  const first = await pieces.next();
  // Loaded on first use: exceljs alone would add some 27 MB to every server that never writes a workbook.
  const { default: ExcelJS } = await import('exceljs');
  // Fixed times keep the file a function of its inputs.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'duban';
  workbook.created = new Date(asOf);
  workbook.modified = new Date(asOf);
  const sheet = workbook.addWorksheet('台账', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  const ledgerColumns = options.columns ?? allColumns;
  sheet.columns = ledgerColumns.map((column) => ({ key: column, width: widths[column] }));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: ledgerColumns.length } };

  const title = sheet.getRow(1);
  title.getCell(1).value = `${options.title}（截至${chineseDate(shanghaiDate(asOf))}）`;
  title.getCell(1).font = { bold: true, size: 16 };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 30;
  sheet.mergeCells(1, 1, 1, ledgerColumns.length);
  title.commit();

  const header = sheet.getRow(2);
  ledgerColumns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.border = border;
  });
  header.height = 24;
  header.commit();

  let next = 3;
  const partRows: LedgerPartRow[] = [];
  let withParts = false;
  for (let piece = first; piece.done !== true; piece = await pieces.next()) {
    // Nobody reads any more (the client went away): stop reading the store.
    if (stream.destroyed) {
      await pieces.return?.();
      return;
    }
    const ledgerPiece = isLedgerPiece(piece.value) ? piece.value : { rows: piece.value, parts: [] };
    if (isLedgerPiece(piece.value)) withParts = true;
    partRows.push(...ledgerPiece.parts);
    for (const row of ledgerPiece.rows) {
      const sheetRow = sheet.getRow(next++);
      ledgerColumns.forEach((column, index) => {
        const cell = sheetRow.getCell(index + 1);
        cell.value = row[column];
        cell.alignment = { vertical: 'top', wrapText: true, ...(centred.has(column) ? { horizontal: 'center' } : {}) };
        cell.border = border;
        const fill = column === '红黄绿灯' ? lightFills[row[column]] : undefined;
        // A late report stands out in red, also once verified and closed.
        if (column === '报送情况' && String(row[column]).startsWith('逾期')) cell.font = { bold: true, color: { argb: 'FFC00000' } };
        if (fill !== undefined) {
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill.argb } };
          cell.font = { bold: true, color: { argb: fill.whiteText ? 'FFFFFFFF' : 'FF000000' } };
        }
      });
      sheetRow.commit();
    }
  }
  sheet.commit();
  if (withParts) writePartsSheet(workbook, partRows, options, asOf);
  await workbook.commit();
}

function isLedgerPiece(piece: readonly LedgerRow[] | LedgerPiece): piece is LedgerPiece {
  return !Array.isArray(piece);
}

/** The sheet 各单位承担部分: one row per unit's part, under a title and a frozen header with a filter. */
function writePartsSheet(workbook: ExcelJSTypes.stream.xlsx.WorkbookWriter, rows: readonly LedgerPartRow[], options: LedgerXlsxOptions, asOf: number): void {
  const columns = [...(options.columns?.[0] === '所属计划' ? (['所属计划'] as const) : []), ...ledgerPartColumns];
  const sheet = workbook.addWorksheet('各单位承担部分', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  sheet.columns = columns.map((column) => ({ key: column, width: partWidths[column] }));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  const title = sheet.getRow(1);
  title.getCell(1).value = `${options.title}·各单位承担部分（截至${chineseDate(shanghaiDate(asOf))}）`;
  title.getCell(1).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, columns.length);
  title.commit();
  const header = sheet.getRow(2);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.border = border;
  });
  header.commit();
  rows.forEach((row, index) => {
    const sheetRow = sheet.getRow(index + 3);
    columns.forEach((column, at) => {
      const cell = sheetRow.getCell(at + 1);
      cell.value = (row as Record<string, string | number | undefined>)[column] ?? '';
      cell.alignment = { vertical: 'top', wrapText: true };
      cell.border = border;
      // A part not done stands out: the office sees at a glance who is behind.
      if (column === '状态' && row.状态 !== '已完成') cell.font = { bold: true, color: { argb: 'FFC00000' } };
    });
    sheetRow.commit();
  });
  sheet.commit();
}
