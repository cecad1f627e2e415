import { systemClock } from '../../time/clock.ts';
import { openDuban } from '../../app/open-duban.ts';
import type { Duban } from '../../app/open-duban.ts';
import { AccountError } from '../../accounts/account-error.ts';
import { accountRoles, isAccountRole } from '../../accounts/account-roles.ts';
import { UserError } from '../../user-error.ts';
import { parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { runSubcommand } from '../subcommands.ts';
import { UsageError } from '../usage-error.ts';

/** Who changes accounts from the console, as the organisation's audit entries name them: an admin, no person. */
const CONSOLE_ADMIN = Object.freeze({ role: 'admin', unit: null });

/** `account create|list|disable|enable|reset`: people's accounts, by the same rules as the admin page, each change an audit entry. */
export function accountCommand(args: readonly string[], io: CliIo): Promise<number> {
  return runSubcommand('account', { create, list, disable: (a, o) => setDisabled(a, o, true), enable: (a, o) => setDisabled(a, o, false), reset }, args, io);
}

/** Runs `work` on the database, an account refusal (Chinese) as a UserError. */
async function onDatabase<T>(db: string | undefined, work: (duban: Duban) => Promise<T>): Promise<T> {
  const duban = await openDuban(databaseOption(db), { create: false });
  try {
    return await work(duban);
  } catch (error) {
    if (error instanceof AccountError) throw new UserError(error.message);
    throw error;
  } finally {
    await duban.close();
  }
}

async function create(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { db: { type: 'string' }, login: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const role = required(values.role, '--role');
  if (!isAccountRole(role)) throw new UsageError(`--role must be one of ${accountRoles.join(', ')}, got ${JSON.stringify(role)}`);
  const spec = { login: required(values.login, '--login'), displayName: required(values.name, '--name'), role, unit: values.unit, phone: values.phone, email: values.email };
  return onDatabase(values.db, async (duban) => {
    const now = systemClock.now();
    const account = await duban.accounts.create(spec, now, CONSOLE_ADMIN);
    const { code, expiresAt } = await duban.accounts.issueResetCode(account.id, now);
    io.out(`created account ${account.id} ${account.login} (${account.displayName}, ${account.role}${account.unit === null ? '' : ` ${account.unit}`})`);
    io.out(`one-time sign-in code (shown only once, until ${expiresAt}; enter it at /login/code):`);
    io.out(code);
    return 0;
  });
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  return onDatabase(values.db, async (duban) => {
    const accounts = await duban.accounts.list();
    io.out(['id', 'login', 'name', 'role', 'unit', 'password', 'disabled'].join('\t'));
    for (const a of accounts) io.out([a.id, a.login, a.displayName, a.role, a.unit ?? '-', a.hasPassword ? (a.mustChangePassword ? 'must change' : 'set') : 'none', a.disabledAt ?? '-'].join('\t'));
    io.err(`${accounts.length} account(s), ${accounts.filter((a) => a.disabledAt === null).length} enabled`);
    return 0;
  });
}

async function setDisabled(args: readonly string[], io: CliIo, disabled: boolean): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 1, max: 1, names: 'LOGIN' });
  return onDatabase(values.db, async (duban) => {
    const account = await duban.accounts.require(positionals[0]!);
    const changed = await duban.accounts.setDisabled(account.id, disabled, systemClock.now(), CONSOLE_ADMIN);
    io.out(`${changed ? '' : 'already '}${disabled ? 'disabled' : 'enabled'} account ${account.login}${changed && disabled ? '; its sessions and tokens have ended' : ''}`);
    return 0;
  });
}

async function reset(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 1, max: 1, names: 'LOGIN' });
  return onDatabase(values.db, async (duban) => {
    const account = await duban.accounts.require(positionals[0]!);
    const { code, expiresAt } = await duban.accounts.issueResetCode(account.id, systemClock.now(), CONSOLE_ADMIN);
    io.out(`one-time sign-in code for ${account.login} (shown only once, until ${expiresAt}; enter it at /login/code):`);
    io.out(code);
    return 0;
  });
}
