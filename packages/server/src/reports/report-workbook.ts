import type { Workbook, Worksheet } from 'exceljs';

/** What the first sheet of a report workbook shows above its rows. */
export interface ReportSheetHead {
  /** The sheet's tab name. */
  readonly name: string;
  /** Row 1, merged across the columns: what the report is and as of when. */
  readonly title: string;
  /** Row 2, bold on grey, frozen and filterable. */
  readonly header: readonly string[];
  /** Each column's width in characters, in the header's order. */
  readonly widths: readonly number[];
  /** The instant the report is as of: the workbook's created and modified times. */
  readonly at: Date;
}

/**
 * A report workbook (exceljs, loaded on first use: it is large) with its first sheet laid out the way
 * the office prints its tables: the title over the columns, the header frozen under it with a filter,
 * A4 landscape fitted to the page's width with the two top rows on each printed page. The caller adds
 * the rows from row 3. No IO.
 */
export async function newReportWorkbook(head: ReportSheetHead): Promise<{ workbook: Workbook; sheet: Worksheet }> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'duban';
  workbook.created = head.at;
  workbook.modified = head.at;
  const sheet = workbook.addWorksheet(head.name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  sheet.columns = head.widths.map((width) => ({ width }));
  const title = sheet.getCell(1, 1);
  title.value = head.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  sheet.mergeCells(1, 1, 1, head.header.length);
  head.header.forEach((text, index) => {
    const cell = sheet.getRow(2).getCell(index + 1);
    cell.value = text;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: head.header.length } };
  return { workbook, sheet };
}
