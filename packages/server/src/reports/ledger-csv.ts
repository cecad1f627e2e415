import type { LedgerRow } from './ledger.ts';
import { ledgerColumns } from './ledger.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * The ledger as RFC 4180 CSV that Excel and WPS open correctly: a UTF-8 byte order mark, CRLF line
 * ends, a header row, fields quoted when they hold a comma, quote or line break, and text cells that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) prefixed with '. Pure.
 */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  const lines = [ledgerColumns.map((column) => csvField(column)), ...rows.map((row) => ledgerColumns.map((column) => csvField(row[column])))];
  return BOM + lines.map((fields) => fields.join(',')).join(CRLF) + CRLF;
}

/** One CSV field: numbers as written, text neutralised against formula injection and quoted when needed. Pure. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
