import { openDuban } from '../../app/open-duban.ts';
import { readPlanSource, planIdOf } from '../../plans/load-plan-file.ts';
import { systemClock } from '../../time/clock.ts';
import { instant, parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { databaseOption } from '../database-option.ts';
import { UsageError } from '../usage-error.ts';
import { IMPORTER } from '../../plans/import-plan.ts';

/**
 * `plan import --db … FILE [--plan-id ID] [--title T] [--year Y] [--issuer I] [--map 'A=B' …]
 * [--add-units] [--from-deadline] [--at ISO]`: imports a plan as the API does (one transaction, one
 * audit entry per task), as the admin. Unknown units must be mapped (`--map 未知=已知`) or added
 * (`--add-units`); a plan id in use is refused. Warnings to stderr; exit 1 on a refusal, nothing written.
 */
export async function planImport(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      db: { type: 'string' },
      'plan-id': { type: 'string' },
      title: { type: 'string' },
      year: { type: 'string' },
      issuer: { type: 'string' },
      map: { type: 'string', multiple: true },
      'add-units': { type: 'boolean' },
      'from-deadline': { type: 'boolean' },
      at: { type: 'string' },
    },
    { min: 1, max: 1, names: 'FILE' },
  );
  const db = databaseOption(values.db);
  const unitMappings = Object.fromEntries((values.map ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--map takes UNKNOWN=UNIT, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  }));
  if (values.year !== undefined && !/^\d{4}$/.test(values.year)) throw new UsageError(`--year must be a year such as 2024, got ${JSON.stringify(values.year)}`);
  const at = values.at === undefined ? systemClock.now() : instant(values.at, '--at');
  const source = await readPlanSource(positionals[0]!);
  const duban = await openDuban(db, { create: false });
  try {
    const preview = await duban.planImports.preview(source, at);
    for (const warning of preview.warnings) io.err(`  ${warning.where ?? `第${warning.line}行`}：${warning.message}`);
    const imported = await duban.planImports.import(
      source,
      {
        planId: values['plan-id'] ?? planIdOf(source.fileName),
        title: values.title,
        year: values.year === undefined ? undefined : Number(values.year),
        issuer: values.issuer,
        unitMappings,
        addUnknownUnits: values['add-units'] === true,
        lateFromImport: values['from-deadline'] !== true,
      },
      IMPORTER,
      at,
    );
    for (const task of imported.skipped) io.err(`  ${task.reason}`);
    io.out(`imported plan ${imported.planId}: ${imported.created.length} tasks created${imported.skipped.length > 0 ? `, ${imported.skipped.length} left out` : ''}${imported.pastDeadlines > 0 ? `; ${imported.pastDeadlines} deadlines had passed (${values['from-deadline'] === true ? 'counted from their dates' : 'overdue as at the import'})` : ''}`);
    return 0;
  } finally {
    await duban.close();
  }
}
