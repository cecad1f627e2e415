import type { UnitRegistry } from '@duban/plan';
import { systemClock } from '../../time/clock.ts';
import { WebhookStore } from '../../notifications/webhooks/webhook-store.ts';
import { webhookUrl } from '../../notifications/webhooks/webhook-url.ts';
import { openDuban } from '../../app/open-duban.ts';
import { UserError } from '../../user-error.ts';
import { parseCommandArgs, required } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { runSubcommand } from '../subcommands.ts';
import { UsageError } from '../usage-error.ts';
import { webhookSecretOption } from '../webhook-secret-option.ts';

/**
 * `webhook set|list|remove`: a unit's outbound endpoint for its notifications. A running server sends
 * every notification created after `set` to it, signed with the secret (X-Duban-Signature), which `set`
 * takes from `--secret-file FILE`, DUBAN_WEBHOOK_SECRET or (warned against) `--secret S`.
 */
export function webhookCommand(args: readonly string[], io: CliIo): Promise<number> {
  return runSubcommand('webhook', { set, list, remove }, args, io);
}

async function set(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { db: { type: 'string' }, unit: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, 'secret-file': { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const db = databaseOption(values.db);
  const unitName = required(values.unit, '--unit');
  let url: string;
  try {
    url = webhookUrl(required(values.url, '--url'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--url: ${(error as Error).message}`);
  }
  const duban = await openDuban(db, { create: false });
  try {
    // The unit is known only to the database's registry; it is checked before the secret (whose warning would come first).
    const unit = knownUnit(duban.units, unitName);
    const secret = await webhookSecretOption(values, io);
    const { record, replaced } = await new WebhookStore(duban.engine.store.kysely).set(unit, url, secret, systemClock.now());
    io.out(`${replaced ? 'replaced' : 'set'} the webhook of ${record.unit}: ${record.url}`);
    return 0;
  } finally {
    await duban.close();
  }
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const duban = await openDuban(databaseOption(values.db), { create: false });
  try {
    const webhooks = await new WebhookStore(duban.engine.store.kysely).list();
    io.out(['unit', 'url', 'pending', 'delivered', 'failed', 'updated'].join('\t'));
    for (const w of webhooks) io.out([w.unit, w.url, w.deliveries.pending, w.deliveries.delivered, w.deliveries.failed, w.updatedAt].join('\t'));
    io.err(`${webhooks.length} webhook(s); secrets are never shown`);
    return 0;
  } finally {
    await duban.close();
  }
}

async function remove(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, unit: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const unitName = required(values.unit, '--unit');
  const duban = await openDuban(db, { create: false });
  try {
    const unit = knownUnit(duban.units, unitName);
    if (!(await new WebhookStore(duban.engine.store.kysely).remove(unit, systemClock.now()))) throw new UserError(`${unit} has no webhook (see duban webhook list)`);
    io.out(`removed the webhook of ${unit}; its undelivered notifications will not be sent`);
    return 0;
  } finally {
    await duban.close();
  }
}

/** The canonical name of a unit that can receive notifications: known, and not a collective. */
function knownUnit(units: Pick<UnitRegistry, 'has' | 'canonical' | 'membersOf'>, name: string): string {
  if (!units.has(name)) throw new UsageError(`unknown unit ${JSON.stringify(name)}: not in the database's unit registry (aliases are accepted; see GET /api/units)`);
  const canonical = units.canonical(name);
  const members = units.membersOf(canonical);
  if (members.length > 0) throw new UsageError(`${canonical} stands for several units; set a webhook for each of them: ${members.join('、')}`);
  return canonical;
}
