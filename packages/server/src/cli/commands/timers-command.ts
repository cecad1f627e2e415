import { openDuban } from '../../app/open-duban.ts';
import { instant, parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { runSubcommand } from '../subcommands.ts';

/** `timers run --db FILE --now ISO`: fire every timer due by ISO once; print what fired and what was dropped. */
export function timersCommand(args: readonly string[], io: CliIo): Promise<number> {
  return runSubcommand('timers', { run }, args, io);
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, now: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const now = instant(required(values.now, '--now'), '--now');
  const duban = await openDuban(db, { create: false });
  try {
    const { fired, dropped } = await duban.engine.fireDue(now);
    for (const e of fired) io.out(`fired    #${e.seq} ${e.instanceId} ${e.type} ${e.from ?? '-'} -> ${e.to}`);
    for (const t of dropped) io.out(`dropped  ${t.instanceId} ${t.key} (due ${new Date(t.dueAt).toISOString()}; its condition no longer holds)`);
    io.out(`${fired.length} fired, ${dropped.length} dropped, as of ${now.toISOString()}`);
    return 0;
  } finally {
    await duban.close();
  }
}
