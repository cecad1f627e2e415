import { auditConsistencyCommand } from './audit-consistency-command.ts';
import { auditExportCommand } from './audit-export-command.ts';
import { auditProveCommand } from './audit-prove-command.ts';
import { auditPubkeyCommand } from './audit-pubkey-command.ts';
import { auditVerifyCommand } from './audit-verify-command.ts';
import type { CliIo } from '../../cli-io.ts';
import type { Subcommand } from '../../subcommands.ts';
import { runSubcommand } from '../../subcommands.ts';

const SUBCOMMANDS: Record<string, Subcommand> = {
  verify: auditVerifyCommand,
  export: auditExportCommand,
  pubkey: auditPubkeyCommand,
  prove: auditProveCommand,
  consistency: auditConsistencyCommand,
};

/** `audit verify|export|pubkey|prove|consistency`: the accountability reviewer's tools. */
export function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  return runSubcommand('audit', SUBCOMMANDS, args, io);
}
