import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openDuban } from '../../app/open-duban.ts';
import { assessmentCsv, assessUnits, circular, circularHtml, circularMarkdown, defaultAssessmentRules, ledgerRows, summarize, summaryMarkdown } from '../../reports/index.ts';
import { ledgerDownload } from '../../reports/ledger/ledger-download.ts';
import { asOf, reportPeriod } from '../../time/as-of.ts';
import type { AsOf } from '../../time/as-of.ts';
import { instantMs, periodEnd } from '../../time/calendar.ts';
import { systemClock } from '../../time/clock.ts';
import { parseCommandArgs, required, timeArgument } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../usage-error.ts';

/** Each report's formats; the first is the default. */
const FORMATS = {
  summary: ['json', 'md'],
  units: ['json', 'csv'],
  ledger: ['csv', 'xlsx', 'json'],
  circular: ['md', 'html', 'json'],
} as const;

type ReportName = keyof typeof FORMATS;

const FLAGS: Readonly<Record<string, string>> = { asOf: '--as-of', from: '--from', to: '--to' };

/**
 * `report summary|units|ledger|circular --db FILE [--as-of ISO] [--from D --to D] [--format F] [--out FILE]`:
 * the office's reports from the database, read as the HTTP API reads them (as of now from the read
 * model, as of a past instant by one replay), to stdout or a file; the ledger is written as it is read.
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
  let instant: AsOf;
  let period: { from: string; to: string } | undefined;
  if (report === 'circular') {
    if (values['as-of'] !== undefined) throw new UsageError('a circular is as of the end of its period: use --from and --to, not --as-of');
    period = timeArgument(() => reportPeriod(required(values.from, '--from'), required(values.to, '--to'), now), FLAGS);
    instant = { at: new Date(periodEnd(period)), now: false };
  } else {
    if (values.from !== undefined || values.to !== undefined) throw new UsageError(`--from and --to are for the circular; ${report} takes --as-of`);
    instant = timeArgument(() => asOf(values['as-of'], now), FLAGS);
  }

  const duban = await openDuban(db, { create: false });
  try {
    const { plans } = duban;
    if (report === 'ledger' && format !== 'json') {
      const { body } = ledgerDownload(plans, instant, format as 'csv' | 'xlsx');
      // A CSV to the terminal (a workbook always has --out); to a file as it is read.
      if (values.out === undefined) io.out((await textOf(body)).replace(/\r?\n$/, ''));
      else await writeFile(body, values.out, io, `${report} (${format})`);
      return 0;
    }
    let output: string;
    if (report === 'ledger') output = json(ledgerRows(await plans.tasks(instant), instant.at));
    else {
      const plan = await plans.facts(instant);
      if (report === 'summary') {
        const summary = summarize(plan.tasks, plan.events, plan.asOf);
        output = format === 'md' ? summaryMarkdown(summary) : json(summary);
      } else if (report === 'units') {
        const assessment = assessUnits(defaultAssessmentRules, plan.tasks, [...plan.events, ...(await duban.cycles.missedFacts(undefined, instantMs(plan.asOf)))], plan.asOf);
        output = format === 'csv' ? assessmentCsv(assessment) : json(assessment);
      }
      else {
        const text = circular(period!, plan.tasks, plan.events);
        output = format === 'html' ? circularHtml(text) : format === 'json' ? json(text) : circularMarkdown(text);
      }
    }
    // io.out ends the text with its own line break.
    if (values.out === undefined) io.out(output.replace(/\r?\n$/, ''));
    else await writeFile([output], values.out, io, `${report} (${format})`);
    return 0;
  } finally {
    await duban.close();
  }
}

/** Streams `body` to the file `out` and says so on stderr. */
async function writeFile(body: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, out: string, io: CliIo, what: string): Promise<void> {
  const file = resolve(out);
  await pipeline(Readable.from(body), createWriteStream(file));
  io.err(`wrote ${what} to ${file}`);
}

/** The whole text of a body of UTF-8 pieces. */
async function textOf(body: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const piece of body) text += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
  return text + decoder.decode();
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
