import { openDuban } from '../open-duban.ts';
import { parseCommandArgs, required } from './cli-args.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './usage-error.ts';

/** `audit verify --db FILE`: exit 0 when the hash chain is intact, 1 naming the first bad seq. */
export async function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError(sub === undefined ? 'audit needs a subcommand: verify' : `unknown audit subcommand ${JSON.stringify(sub)}`);
  const { values } = parseCommandArgs(rest, { db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const duban = await openDuban(required(values.db, '--db'), { create: false });
  try {
    const report = await duban.engine.verify();
    if (report.ok) {
      io.out(`audit log intact: ${report.entries} entries, head ${report.headHash}`);
      return 0;
    }
    io.out(`audit log BROKEN at seq ${report.firstBadSeq}: ${report.reason} (the ${report.entries} entries before it are intact)`);
    return 1;
  } finally {
    await duban.close();
  }
}
