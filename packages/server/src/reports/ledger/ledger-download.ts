import { attachmentDisposition } from '../../http/content-disposition.ts';
import type { AsOf } from '../../time/as-of.ts';
import { shanghaiDate } from '../../time/calendar.ts';
import type { PlanReader } from '../plan-reader.ts';
import { ledgerCsvPieces } from './ledger-csv.ts';
import { ledgerXlsxPieces } from './ledger-xlsx.ts';
import { ledgerColumnsFor, ledgerRowPieces, ledgerSheetPieces } from './ledger.ts';
import { piecesOfPlan } from '../plan-scope.ts';

/** Which plan a ledger covers (undefined: every plan), and whether the database holds several (then 所属计划 is a column). */
export interface LedgerScope {
  readonly plan: string | undefined;
  readonly spansPlans: boolean;
}

/** The title over the .xlsx ledger. */
export const LEDGER_TITLE = '“放管服”改革任务督办台账';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type LedgerFormat = 'csv' | 'xlsx';

/**
 * A ledger download, for the API, the pages and the CLI alike: its headers (type, file name
 * 台账-<date>) and its body, made as it is sent; the workbook's second sheet lists each unit's part. As of now the rows come a few hundred at a time as
 * the stored tasks are read (the plan is never held whole); as of a past instant from one replay
 * (PlanReader.pieces). Narrowed to one plan by `scope`; across several plans its first column is
 * 所属计划. Does IO as the body is read.
 */
export function ledgerDownload(plans: PlanReader, asOf: AsOf, format: LedgerFormat, scope: LedgerScope = { plan: undefined, spansPlans: false }) {
  const date = shanghaiDate(asOf.at.getTime());
  const spans = scope.plan === undefined && scope.spansPlans;
  const tasks = piecesOfPlan(plans.pieces(asOf), scope.plan);
  const columns = ledgerColumnsFor(spans);
  const headers = {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    'Content-Disposition': attachmentDisposition(`台账-${date}.${format}`, `ledger-${date}.${format}`),
  };
  // The workbook adds a sheet of each unit's part; the CSV is the one ledger table.
  const body: AsyncIterable<string | Uint8Array> =
    format === 'csv'
      ? ledgerCsvPieces(ledgerRowPieces(tasks, asOf.at, spans), columns)
      : ledgerXlsxPieces(ledgerSheetPieces(tasks, asOf.at, spans), { title: LEDGER_TITLE, asOf: asOf.at, columns });
  return { headers, body };
}
