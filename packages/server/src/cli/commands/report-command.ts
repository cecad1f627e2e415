import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { systemClock } from '../../time/clock.ts';
import { openDuban } from '../../app/open-duban.ts';
import { ReportInstantError, reportAsOf, reportPeriod } from '../../time/report-instant.ts';
import {
  assessUnits,
  circular,
  circularHtml,
  circularMarkdown,
  defaultAssessmentRules,
  ledgerCsv,
  ledgerRows,
  ledgerXlsx,
  periodEnd,
  reportInputAt,
  summarize,
} from '../../reports/index.ts';
import { LEDGER_TITLE } from '../../reports/ledger/ledger-download.ts';
import { parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../usage-error.ts';

/** Each report's formats; the first is the default. */
const FORMATS = {
  summary: ['json'],
  units: ['json'],
  ledger: ['csv', 'xlsx', 'json'],
  circular: ['md', 'html', 'json'],
} as const;

type ReportName = keyof typeof FORMATS;

const FLAGS = { asOf: '--as-of', from: '--from', to: '--to' } as const;

/**
 * `report summary|units|ledger|circular --db FILE [--as-of ISO] [--from D --to D] [--format F] [--out FILE]`:
 * the office's reports from the database, as the HTTP API serves them, to stdout or a file.
 */
export async function reportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || !Object.hasOwn(FORMATS, name)) {
    throw new UsageError(name === undefined ? 'report needs one of: summary, units, ledger, circular' : `unknown report ${JSON.stringify(name)}: use summary, units, ledger or circular`);
  }
  const report = name as ReportName;
  const { values } = parseCommandArgs(
    rest,
    { db: { type: 'string' }, 'as-of': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const db = databaseOption(values.db);
  const formats: readonly string[] = FORMATS[report];
  const format = values.format ?? formats[0]!;
  if (!formats.includes(format)) throw new UsageError(`--format for ${report} must be ${formats.join(' or ')}, got ${JSON.stringify(format)}`);
  if (format === 'xlsx' && values.out === undefined) throw new UsageError('--format xlsx needs --out FILE (a workbook is not written to a terminal)');
  if (values.out === '') throw new UsageError('--out needs a file name');
  const now = systemClock.now();
  let asOf: Date | undefined;
  let period: { from: string; to: string } | undefined;
  if (report === 'circular') {
    if (values['as-of'] !== undefined) throw new UsageError('a circular is as of the end of its period: use --from and --to, not --as-of');
    period = asUsage(() => reportPeriod(required(values.from, '--from'), required(values.to, '--to'), now));
  } else {
    if (values.from !== undefined || values.to !== undefined) throw new UsageError(`--from and --to are for the circular; ${report} takes --as-of`);
    asOf = asUsage(() => reportAsOf(values['as-of'], now));
  }

  const duban = await openDuban(db, { create: false });
  let output: string | Buffer;
  try {
    const input = await reportInputAt(duban.engine, period === undefined ? asOf! : periodEnd(period));
    if (report === 'summary') output = json(summarize(input.tasks, input.events, input.asOf));
    else if (report === 'units') output = json(assessUnits(defaultAssessmentRules, input.tasks, input.events, input.asOf));
    else if (report === 'ledger') {
      const rows = ledgerRows(input.tasks, input.asOf);
      output = format === 'xlsx' ? await ledgerXlsx(rows, { title: LEDGER_TITLE, asOf: input.asOf }) : format === 'json' ? json(rows) : ledgerCsv(rows);
    } else {
      const text = circular(period!, input.tasks, input.events);
      output = format === 'html' ? circularHtml(text) : format === 'json' ? json(text) : circularMarkdown(text);
    }
  } finally {
    await duban.close();
  }
  if (values.out === undefined) {
    // io.out ends the text with its own line break.
    io.out(String(output).replace(/\r?\n$/, ''));
  } else {
    const file = resolve(values.out);
    await writeFile(file, output);
    io.err(`wrote ${report} (${format}) to ${file}`);
  }
  return 0;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A report time that cannot be used is a bad argument, named by its flag. */
function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ReportInstantError) throw new UsageError(`${FLAGS[error.field]} ${error.message}`);
    throw error;
  }
}
