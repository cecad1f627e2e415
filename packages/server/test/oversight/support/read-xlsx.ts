import ExcelJS from 'exceljs';

/** The cell values of one sheet of an .xlsx file, row by row (1-based rows and columns dropped to arrays). */
export async function readSheet(file: string | ArrayBuffer, sheetName: string): Promise<{ rows: unknown[][]; sheet: ExcelJS.Worksheet }> {
  const workbook = new ExcelJS.Workbook();
  if (typeof file === 'string') await workbook.xlsx.readFile(file);
  else await workbook.xlsx.load(file);
  const sheet = workbook.getWorksheet(sheetName);
  if (sheet === undefined) throw new Error(`no sheet ${sheetName}`);
  const rows: unknown[][] = [];
  for (let n = 1; n <= sheet.rowCount; n += 1) rows.push((sheet.getRow(n).values as unknown[]).slice(1));
  return { rows, sheet };
}
