import { karamayUnits } from '@duban/plan';
import { systemClock } from '../../time/clock.ts';
import { openDuban } from '../../app/open-duban.ts';
import { isRole, roles } from '../../auth/role.ts';
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
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, label: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const role = required(values.role, '--role');
  if (!isRole(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}, got ${JSON.stringify(role)}`);
  if (role === 'unit' && values.unit === undefined) throw new UsageError('a unit token needs --unit NAME');
  if (role !== 'unit' && values.unit !== undefined) throw new UsageError(`a ${role} token acts for no unit: drop --unit`);
  const unit = values.unit === undefined ? null : knownUnit(values.unit);
  if (values.label !== undefined && (values.label.length === 0 || values.label.length > 200)) throw new UsageError('--label must be 1 to 200 characters');
  const duban = await openDuban(db, { create: false });
  try {
    const { token, record } = await duban.tokens.create({ role, unit, label: values.label ?? null }, systemClock.now());
    io.out(`created token ${record.id} (${record.prefix}…) for ${role}${unit === null ? '' : ` ${unit}`}; it is shown only once:`);
    io.out(token);
    return 0;
  } finally {
    await duban.close();
  }
}

/** The canonical name of a unit that may hold a token: known, and not a collective. */
function knownUnit(name: string): string {
  if (!karamayUnits.has(name)) throw new UsageError(`unknown unit ${JSON.stringify(name)}: not in data/units.json (aliases are accepted)`);
  const canonical = karamayUnits.canonical(name);
  const members = karamayUnits.membersOf(canonical);
  if (members.length > 0) throw new UsageError(`${canonical} stands for several units; issue a token to one of them: ${members.join('、')}`);
  return canonical;
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const duban = await openDuban(databaseOption(values.db), { create: false });
  try {
    const tokens = await duban.tokens.list();
    io.out(['id', 'prefix', 'role', 'unit', 'label', 'created', 'revoked'].join('\t'));
    for (const t of tokens) io.out([t.id, `${t.prefix}…`, t.role, t.unit ?? '-', t.label ?? '-', t.createdAt, t.revokedAt ?? '-'].join('\t'));
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
