import type { UnitRegistry } from '@duban/plan';
import { systemClock } from '../../time/clock.ts';
import { openDuban } from '../../app/open-duban.ts';
import { isRole, roles } from '../../auth/role.ts';
import { principalOfAccount } from '../../accounts/account-store.ts';
import { UserError } from '../../user-error.ts';
import { parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { runSubcommand } from '../subcommands.ts';
import { UsageError } from '../usage-error.ts';

/** `token create|list|revoke`: issue (shown once), list (no secrets) and revoke API tokens. */
export function tokenCommand(args: readonly string[], io: CliIo): Promise<number> {
  return runSubcommand('token', { create, list, revoke }, args, io);
}

async function create(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { db: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, label: { type: 'string' }, account: { type: 'string' }, expires: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const db = databaseOption(values.db);
  const now = systemClock.now();
  const expiresAt = values.expires === undefined ? null : expiryOf(values.expires, now);
  if (values.label !== undefined && (values.label.length === 0 || values.label.length > 200)) throw new UsageError('--label must be 1 to 200 characters');
  if (values.account !== undefined) {
    if (values.role !== undefined || values.unit !== undefined) throw new UsageError("a token of an account acts as the account: drop --role and --unit (they are the account's)");
    return createForAccount(db, values.account, values.label ?? null, expiresAt, now, io);
  }
  const role = required(values.role, '--role');
  if (!isRole(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}, got ${JSON.stringify(role)}`);
  if (role === 'leader') throw new UsageError('a leader is a person: make a leader account and its token with token create --account LOGIN');
  if (role === 'unit' && values.unit === undefined) throw new UsageError('a unit token needs --unit NAME');
  if (role !== 'unit' && values.unit !== undefined) throw new UsageError(`a ${role} token acts for no unit: drop --unit`);
  const duban = await openDuban(db, { create: false });
  try {
    const unit = values.unit === undefined ? null : knownUnit(duban.units, values.unit);
    const { token, record } = await duban.tokens.create({ role, unit, label: values.label ?? null, expiresAt }, now);
    io.out(`created token ${record.id} (${record.prefix}…) for ${role}${unit === null ? '' : ` ${unit}`}${expiry(record.expiresAt)}; it is shown only once:`);
    io.out(token);
    return 0;
  } finally {
    await duban.close();
  }
}

/** A token that acts as a person's account: its role and unit, while the account is enabled. */
async function createForAccount(db: string, login: string, label: string | null, expiresAt: Date | null, now: Date, io: CliIo): Promise<number> {
  const duban = await openDuban(db, { create: false });
  try {
    const account = await duban.accounts.byLogin(login);
    if (account === undefined) throw new UserError(`no account with the login name ${JSON.stringify(login)} (see duban account list)`);
    if (account.disabledAt !== null) throw new UserError(`the account ${account.login} is disabled; enable it before issuing it a token`);
    const principal = principalOfAccount(account);
    const { token, record } = await duban.tokens.create({ role: principal.role, unit: principal.unit, label: label ?? `account: ${account.login}`, accountId: account.id, expiresAt }, now);
    io.out(`created token ${record.id} (${record.prefix}…) acting as ${account.login} (${account.displayName}, ${principal.role}${principal.unit === null ? '' : ` ${principal.unit}`})${expiry(record.expiresAt)}; it is shown only once:`);
    io.out(token);
    return 0;
  } finally {
    await duban.close();
  }
}

const expiry = (at: string | null) => (at === null ? '' : `, expiring ${at}`);

/** `--expires`: `30d`, `12h`, or a date (the end of that day in Asia/Shanghai); later than now. */
function expiryOf(text: string, now: Date): Date {
  const span = /^(\d{1,4})([dh])$/.exec(text);
  const at = span !== null ? new Date(now.getTime() + Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000)) : /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T23:59:59.999+08:00`) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) throw new UsageError(`--expires must be a number of days or hours (30d, 12h) or a date (2024-06-30), got ${JSON.stringify(text)}`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires ${text} is not in the future`);
  return at;
}

/** The canonical name of a unit that may hold a token: known, and not a collective. */
function knownUnit(units: Pick<UnitRegistry, 'has' | 'canonical' | 'membersOf'>, name: string): string {
  if (!units.has(name)) throw new UsageError(`unknown unit ${JSON.stringify(name)}: not in the database's unit registry (aliases are accepted; see GET /api/units)`);
  const canonical = units.canonical(name);
  const members = units.membersOf(canonical);
  if (members.length > 0) throw new UsageError(`${canonical} stands for several units; issue a token to one of them: ${members.join('、')}`);
  return canonical;
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const duban = await openDuban(databaseOption(values.db), { create: false });
  try {
    const tokens = await duban.tokens.list();
    io.out(['id', 'prefix', 'role', 'unit', 'label', 'created', 'revoked', 'account', 'expires'].join('\t'));
    for (const t of tokens) io.out([t.id, `${t.prefix}…`, t.role, t.unit ?? '-', t.label ?? '-', t.createdAt, t.revokedAt ?? '-', t.accountId ?? '-', t.expiresAt ?? '-'].join('\t'));
    io.err(`${tokens.length} token(s), ${tokens.filter((t) => t.revokedAt === null).length} live`);
    return 0;
  } finally {
    await duban.close();
  }
}

async function revoke(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 1, max: 1, names: 'ID' });
  const id = positionals[0]!;
  if (!/^\d{1,9}$/.test(id)) throw new UsageError(`token ID must be a number (see token list), got ${JSON.stringify(id)}`);
  const duban = await openDuban(databaseOption(values.db), { create: false });
  try {
    if (!(await duban.tokens.revoke(Number(id), systemClock.now()))) throw new UserError(`no live token ${id} (see duban token list)`);
    io.out(`revoked token ${id}`);
    return 0;
  } finally {
    await duban.close();
  }
}
