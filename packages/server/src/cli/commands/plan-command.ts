import { formatPlanSummary } from '@duban/plan';
import { openDuban } from '../../app/open-duban.ts';
import { loadPlanFile } from '../../plans/load-plan-file.ts';
import type { LoadedPlan } from '../../plans/load-plan-file.ts';
import { databaseOption } from '../database-option.ts';
import { parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../usage-error.ts';
import { planImport } from './plan-import.ts';
import { planAmend } from './plan-amend.ts';

/**
 * `plan import …` (plan-import.ts), `plan amend …` (plan-amend.ts), or `plan parse FILE` (.docx, .xlsx, .md/.txt in UTF-8 or GB18030, .json): Plan JSON on stdout, a
 * summary and every warning with its place on stderr; exit 1 when the file is refused or has no task.
 * With `--db`, unit names resolve through that database's unit registry (what an import there would
 * use), else through the repository's data/units.json.
 */
export async function planCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') return planImport(rest, io);
  if (sub === 'amend') return planAmend(rest, io);
  if (sub !== 'parse') throw new UsageError(sub === undefined ? 'plan needs a subcommand: parse, import, amend' : `unknown plan subcommand ${JSON.stringify(sub)}`);
  const { values, positionals } = parseCommandArgs(rest, { db: { type: 'string' } }, { min: 1, max: 1, names: 'FILE' });
  const { plan, document } = await parseWithRegistry(positionals[0]!, values.db);
  io.out(JSON.stringify(plan, null, 2));
  io.err(formatPlanSummary(plan).trimEnd());
  io.err(`格式：${document.format}${document.encoding === null ? '' : `（${document.encoding}）`}　警告：${plan.warnings.length} 条`);
  for (const warning of plan.warnings) io.err(`  ${warning.where ?? `第${warning.line}行`}：${warning.message}`);
  return 0;
}

/** The plan file read with the database's unit registry when a database is given. Does IO. */
async function parseWithRegistry(path: string, db: string | undefined): Promise<LoadedPlan> {
  if (db === undefined) return loadPlanFile(path);
  const duban = await openDuban(databaseOption(db), { create: false });
  try {
    return await loadPlanFile(path, { units: duban.units.registry });
  } finally {
    await duban.close();
  }
}
