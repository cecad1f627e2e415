import { auditConsistencyCommand } from './audit-consistency-command.ts';
import { auditExportCommand } from './audit-export-command.ts';
import { auditProveCommand } from './audit-prove-command.ts';
import { auditPubkeyCommand } from './audit-pubkey-command.ts';
import { auditVerifyCommand } from './audit-verify-command.ts';
import type { CliIo } from '../../cli-io.ts';
import { UsageError } from '../../usage-error.ts';

const SUBCOMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number>> = {
  verify: auditVerifyCommand,
  export: auditExportCommand,
  pubkey: auditPubkeyCommand,
  prove: auditProveCommand,
  consistency: auditConsistencyCommand,
};

/** `audit verify|export|pubkey|prove|consistency`: the accountability reviewer's tools. */
export async function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (run === undefined) {
    const known = Object.keys(SUBCOMMANDS).join(', ');
    throw new UsageError(sub === undefined ? `audit needs a subcommand: ${known}` : `unknown audit subcommand ${JSON.stringify(sub)} (one of ${known})`);
  }
  return run(rest, io);
}
