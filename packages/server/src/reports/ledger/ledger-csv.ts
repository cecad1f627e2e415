import type { LedgerColumn, LedgerRow } from './ledger.ts';
import { ledgerColumns } from './ledger.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * The ledger as RFC 4180 CSV that Excel and WPS open correctly: a UTF-8 byte order mark, CRLF line
 * ends, a header row, fields quoted when they hold a comma, quote or line break, and text cells that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) prefixed with '. Pure.
 */
export function ledgerCsv(rows: readonly LedgerRow[], columns: readonly LedgerColumn[] = ledgerColumns): string {
  return ledgerCsvHead(columns) + ledgerCsvLines(rows, columns);
}

/**
 * The same CSV, piece by piece as the rows come: the head goes with the first rows, so nothing is
 * made before the first rows are read. The whole plan is never held at once. Pure.
 */
export async function* ledgerCsvPieces(rows: AsyncIterable<readonly LedgerRow[]>, columns: readonly LedgerColumn[] = ledgerColumns): AsyncGenerator<string> {
  let head = ledgerCsvHead(columns);
  for await (const piece of rows) {
    yield head + ledgerCsvLines(piece, columns);
    head = '';
  }
  if (head !== '') yield head;
}

/** The byte order mark and the header line. Pure. */
function ledgerCsvHead(columns: readonly LedgerColumn[]): string {
  return BOM + columns.map((column) => csvField(column)).join(',') + CRLF;
}

/** One CRLF-ended line per row. Pure. */
function ledgerCsvLines(rows: readonly LedgerRow[], columns: readonly LedgerColumn[]): string {
  return rows.map((row) => columns.map((column) => csvField(row[column] ?? '')).join(',') + CRLF).join('');
}

/** One CSV field: numbers as written, text neutralised against formula injection and quoted when needed. Pure. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
