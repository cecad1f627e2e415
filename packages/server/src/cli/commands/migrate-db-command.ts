import { isPostgresUrl } from '@duban/engine';
import { migrateDatabase } from '../../db/migrate-database.ts';
import { openDuban, redactUrl } from '../../app/open-duban.ts';
import { parseCommandArgs, required } from '../cli-args.ts';
import { progressOf } from '../cli-io.ts';
import type { CliIo } from '../cli-io.ts';
import { Progress, untilInterrupted } from '../../jobs/progress.ts';
import { UsageError } from '../usage-error.ts';

/**
 * `migrate-db --from FILE|URL --to FILE|URL`: copy a whole database (tasks, audit log with its hashes,
 * timers, idempotency records, checkpoints, tokens and every other server table) into an empty one,
 * then verify the copy; exit 1 with the reason when the source is broken, the target is not empty or
 * the copy does not verify.
 */
export async function migrateDbCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { from: { type: 'string' }, to: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const from = required(values.from, '--from');
  const to = required(values.to, '--to');
  for (const [flag, value] of [['--from', from], ['--to', to]] as const) {
    if (value === ':memory:') throw new UsageError(`${flag} must be a file or a postgres:// URL`);
  }
  if (from === to) throw new UsageError('--from and --to name the same database');
  const labels = { from: describe(from), to: describe(to) };
  const source = await openDuban(from, { create: false });
  try {
    io.err(`duban: copying ${labels.from} into ${labels.to}`);
    const report = await untilInterrupted(async (stopped) => {
      let bar: Progress | undefined;
      let shown: string | undefined;
      try {
        return await migrateDatabase(source, () => openDuban(to, { create: true, unitsFile: null }), labels, (stage, done, total) => {
          stopped();
          if (stage !== shown) {
            bar?.finish();
            // Rows copied are counted without a total: every table's rows, the log's most of them.
            bar = stage === 'replay' ? new Progress('migrate-db: replaying the source', total, progressOf(io)) : new Progress('migrate-db: copying', 0, progressOf(io), { unit: 'rows' });
            shown = stage;
          }
          bar!.update(done);
        });
      } finally {
        bar?.finish();
      }
    });
    for (const { name, rows } of report.tables) io.out(`copied   ${name.padEnd(24)} ${rows}`);
    io.out(`verified ${labels.to}: audit log intact (${report.entries} entries, head ${report.headHash}); replay matches all ${report.instances} stored tasks`);
    return 0;
  } finally {
    await source.close();
  }
}

function describe(location: string): string {
  return isPostgresUrl(location) ? redactUrl(location) : location;
}
