import type { Engine } from '@duban/engine';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import type { CurrentPlan } from '../current-plan.ts';
import { ledgerCsvPieces, ledgerRowPieces, ledgerRows, ledgerXlsxPieces, onePiece, planTasks, shanghaiDate, storedTasksInPieces } from '../index.ts';

/** The title over the .xlsx ledger. */
export const LEDGER_TITLE = '“放管服”改革任务督办台账';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type LedgerFormat = 'csv' | 'xlsx';

/**
 * A ledger download, for the API and the web alike: its headers (type, file name 台账-<date>) and its
 * body, made as it is sent. As of now the rows come a few hundred at a time as the stored tasks are
 * read (the plan is never held whole); as of a past instant from one replay. Does IO as the body is read.
 */
export async function ledgerDownload(engine: Engine, currentPlan: CurrentPlan | undefined, at: Date, isNow: boolean, format: LedgerFormat) {
  const date = shanghaiDate(at.getTime());
  const rows = isNow ? ledgerRowPieces(storedTasksInPieces(engine, currentPlan, at), at) : onePiece(ledgerRows(await planTasks(engine, at), at));
  const headers = {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    'Content-Disposition': attachmentDisposition(`台账-${date}.${format}`, `ledger-${date}.${format}`),
  };
  const body: AsyncIterable<string | Uint8Array> = format === 'csv' ? ledgerCsvPieces(rows) : ledgerXlsxPieces(rows, { title: LEDGER_TITLE, asOf: at });
  return { headers, body };
}
