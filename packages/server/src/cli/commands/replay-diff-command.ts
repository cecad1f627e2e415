import { replayDiff } from '../../audit/replay-diff.ts';
import type { TaskAt } from '../../audit/replay-diff.ts';
import { openDuban } from '../../app/open-duban.ts';
import { instant, parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../usage-error.ts';

/**
 * `replay diff --db FILE --from ISO --to ISO`: the tasks whose state, light or deadline in force
 * changed between two instants, replayed from the audit log; one line each.
 */
export async function replayDiffCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const from = instant(required(values.from, '--from'), '--from');
  const to = instant(required(values.to, '--to'), '--to');
  if (from.getTime() > to.getTime()) throw new UsageError(`--to (${to.toISOString()}) must not be before --from (${from.toISOString()})`);
  const duban = await openDuban(db, { create: false });
  try {
    const changes = await replayDiff(duban.plans, from, to);
    const show = (at: TaskAt | null, pick: (at: TaskAt) => string) => (at === null ? '—' : pick(at));
    for (const change of changes) {
      const parts = change.changed.map((aspect) => {
        const pick = aspect === 'state' ? (t: TaskAt) => t.state : aspect === 'light' ? (t: TaskAt) => t.light : (t: TaskAt) => t.dueDate ?? 'none';
        return `${aspect} ${show(change.from, pick)} -> ${pick(change.to)}`;
      });
      io.out(`#${change.number}\t${change.taskId}\t${parts.join('; ')}`);
    }
    io.out(`${changes.length} task(s) changed between ${from.toISOString()} and ${to.toISOString()}`);
    return 0;
  } finally {
    await duban.close();
  }
}
