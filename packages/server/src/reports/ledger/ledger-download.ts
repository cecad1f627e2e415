import { attachmentDisposition } from '../../http/content-disposition.ts';
import type { AsOf } from '../../time/as-of.ts';
import { shanghaiDate } from '../../time/calendar.ts';
import type { PlanReader } from '../plan-reader.ts';
import { ledgerCsvPieces } from './ledger-csv.ts';
import { ledgerXlsxPieces } from './ledger-xlsx.ts';
import { ledgerRowPieces } from './ledger.ts';

/** The title over the .xlsx ledger. */
export const LEDGER_TITLE = '“放管服”改革任务督办台账';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type LedgerFormat = 'csv' | 'xlsx';

/**
 * A ledger download, for the API, the pages and the CLI alike: its headers (type, file name
 * 台账-<date>) and its body, made as it is sent. As of now the rows come a few hundred at a time as
 * the stored tasks are read (the plan is never held whole); as of a past instant from one replay
 * (PlanReader.pieces). Does IO as the body is read.
 */
export function ledgerDownload(plans: PlanReader, asOf: AsOf, format: LedgerFormat) {
  const date = shanghaiDate(asOf.at.getTime());
  const rows = ledgerRowPieces(plans.pieces(asOf), asOf.at);
  const headers = {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    'Content-Disposition': attachmentDisposition(`台账-${date}.${format}`, `ledger-${date}.${format}`),
  };
  const body: AsyncIterable<string | Uint8Array> = format === 'csv' ? ledgerCsvPieces(rows) : ledgerXlsxPieces(rows, { title: LEDGER_TITLE, asOf: asOf.at });
  return { headers, body };
}
