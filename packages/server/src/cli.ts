import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineError, InstanceConflict } from '@duban/engine';
import { PlanInputError } from '@duban/plan';
import type { CliIo } from './cli/cli-io.ts';
import { processIo } from './cli/cli-io.ts';
import { USAGE } from './cli/usage.ts';
import { Interrupted } from './jobs/progress.ts';
import { UsageError } from './cli/usage-error.ts';
import { HttpProblem } from './http/http-problem.ts';
import { PlanImportRefused } from './plans/plan-import-refused.ts';
import { UserError } from './user-error.ts';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

// Each command is loaded when run: `token list` need not load the web server, nor `serve` the plan tools.
const COMMANDS: Record<string, () => Promise<Command>> = {
  plan: async () => (await import('./cli/commands/plan-command.ts')).planCommand,
  serve: async () => (await import('./cli/commands/serve-command.ts')).serveCommand,
  start: async () => (await import('./cli/commands/start-command.ts')).startCommand,
  demo: async () => (await import('./cli/commands/demo-command.ts')).demoCommand,
  token: async () => (await import('./cli/commands/token-command.ts')).tokenCommand,
  account: async () => (await import('./cli/commands/account-command.ts')).accountCommand,
  timers: async () => (await import('./cli/commands/timers-command.ts')).timersCommand,
  audit: async () => (await import('./cli/commands/audit/audit-command.ts')).auditCommand,
  replay: async () => (await import('./cli/commands/replay-command.ts')).replayCommand,
  report: async () => (await import('./cli/commands/report-command.ts')).reportCommand,
  webhook: async () => (await import('./cli/commands/webhook-command.ts')).webhookCommand,
  'migrate-db': async () => (await import('./cli/commands/migrate-db-command.ts')).migrateDbCommand,
};

/**
 * The `duban` command line. Returns the exit code: 0 done, 1 failed (a message for people, never a
 * stack trace), 2 bad arguments (one line and the usage).
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await (await load())(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`duban: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof Interrupted) {
      io.err('duban: interrupted (Ctrl-C); nothing was left half-written');
      return 130;
    }
    io.err(`duban: ${failureMessage(error)}`);
    if (process.env['DUBAN_DEBUG'] === '1' && error instanceof Error) io.err(error.stack ?? '');
    return 1;
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof InstanceConflict) {
    return `the plan differs from the one imported into this database before (tasks ${error.instanceIds.slice(0, 5).join(', ')}${error.instanceIds.length > 5 ? ', …' : ''} have other content); nothing was imported. Import a changed plan under another file name (its plan id) or into a new database.`;
  }
  if (error instanceof PlanImportRefused) return `${error.issues.map((issue) => issue.message).join('；')}（未导入 / nothing was imported: ${error.message}）`;
  if (error instanceof HttpProblem) return `${error.title}: ${error.detail}`;
  if (error instanceof UserError || error instanceof PlanInputError || error instanceof EngineError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return `${(error as Error).message.replace(/^[A-Z]+: /, '')}`;
  }
  if (code === 'EADDRINUSE') return `the port is already in use: ${(error as Error).message}`;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)} (set DUBAN_DEBUG=1 for the stack)`;
}

// Run only as the program, not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`duban: unexpected error: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
