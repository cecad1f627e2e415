import { openDuban } from '../../app/open-duban.ts';
import { defaultReplayWorkers } from '@duban/engine';
import { instant, integer, parseCommandArgs } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import { progressOf } from '../cli-io.ts';
import type { CliIo } from '../cli-io.ts';
import { Progress, untilInterrupted } from '../../jobs/progress.ts';
import { replayDiffCommand } from './replay-diff-command.ts';

/**
 * `replay --db FILE [--as-of ISO] [--workers N]` (and `replay diff …`, see replay-diff-command.ts): recompute every task from the log. Without --as-of, compare with
 * the stored states and exit 1 listing each difference; with it, print the states as they stood then.
 * The tasks are replayed on N worker threads (default: the cores available, or 1 — the main thread — for a log under 20,000 entries).
 */
export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] === 'diff') return replayDiffCommand(args.slice(1), io);
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, 'as-of': { type: 'string' }, workers: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const asOf = values['as-of'] === undefined ? undefined : instant(values['as-of'], '--as-of');
  // Checked before the database is opened; without the flag, the default depends on the log's size.
  const workersGiven = values.workers === undefined ? undefined : integer(values.workers, '--workers', 1, 256, 1);
  const duban = await openDuban(db, { create: false });
  try {
    const report = await untilInterrupted(async (stopped) => {
      const size = await duban.engine.auditSize();
      const workers = workersGiven ?? defaultReplayWorkers(size);
      const progress = new Progress(asOf === undefined ? 'replay' : `replay as of ${asOf.toISOString()}`, size, progressOf(io));
      try {
        const tell = (done: number) => {
          stopped();
          progress.update(done);
        };
        return await duban.engine.replay(asOf, { progress: tell, workers });
      } finally {
        progress.finish();
      }
    });
    if (asOf !== undefined) for (const i of report.instances) io.out(`${i.instanceId}\t${i.state}\tv${i.version}`);
    for (const d of report.differences) io.out(`DIFFERS  ${d.instanceId}${d.seq === undefined ? '' : ` (seq ${d.seq})`}: ${d.reason}`);
    const scope = asOf === undefined ? 'stored states' : `the log as of ${asOf.toISOString()}`;
    if (report.differences.length > 0) {
      io.out(`replayed ${report.entries} entries into ${report.instances.length} tasks: ${report.differences.length} difference(s) from ${scope}`);
      return 1;
    }
    io.out(`replayed ${report.entries} entries into ${report.instances.length} tasks: ${asOf === undefined ? 'every stored state matches' : 'no inconsistency'}`);
    return 0;
  } finally {
    await duban.close();
  }
}
