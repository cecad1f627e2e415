import { formatPlanSummary } from '@duban/plan';
import { loadPlanFile } from '../../plans/load-plan-file.ts';
import { parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../usage-error.ts';

/** `plan parse FILE`: Plan JSON on stdout, a summary on stderr; exit 1 when the file has no task. */
export async function planCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'parse') throw new UsageError(sub === undefined ? 'plan needs a subcommand: parse' : `unknown plan subcommand ${JSON.stringify(sub)}`);
  const { positionals } = parseCommandArgs(rest, {}, { min: 1, max: 1, names: 'FILE' });
  const { plan } = await loadPlanFile(positionals[0]!);
  io.out(JSON.stringify(plan, null, 2));
  io.err(formatPlanSummary(plan).trimEnd());
  return 0;
}
