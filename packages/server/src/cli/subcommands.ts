import type { CliIo } from './cli-io.ts';
import { UsageError } from './usage-error.ts';

export type Subcommand = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * Runs `command sub …rest` from its table of subcommands; a missing or unknown subcommand is a
 * usage error that lists the known ones.
 */
export function runSubcommand(command: string, table: Readonly<Record<string, Subcommand>>, args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub === undefined || !Object.hasOwn(table, sub) ? undefined : table[sub];
  if (run === undefined) {
    const known = Object.keys(table);
    const list = known.length === 1 ? known[0] : `${known.slice(0, -1).join(', ')} or ${known.at(-1)}`;
    throw new UsageError(sub === undefined ? `${command} needs a subcommand: ${list}` : `unknown ${command} subcommand ${JSON.stringify(sub)} (one of ${list})`);
  }
  return run(rest, io);
}
