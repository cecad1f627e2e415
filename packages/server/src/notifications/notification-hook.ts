import type { CommitHook } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import type { Insertable, Kysely } from 'kysely';
import { notificationMessage } from './notification-message.ts';
import { isNotifiedEvent, notificationRecipients } from './notification-recipients.ts';
import { queueChannelDeliveries } from './channels/channel-outbox.ts';
import type { NotificationTable, ServerDatabase } from '../db/server-tables.ts';

/**
 * The engine's commit hook for notifications: for each notified reform-task entry, one `notification`
 * row per unit concerned, one `webhook_delivery` row per new notification whose unit has a webhook and
 * the `notice_delivery` rows of its channels (mailbox, robots, persons' e-mail), written with the transition's own transaction (`tx.kysely`), so a refused or rolled-back transition
 * leaves none. Running twice for one entry adds nothing (UNIQUE (entry_seq, unit)). `next`, if given,
 * runs after it in the same transaction. Does IO only through `tx`.
 */
export function notificationHook(next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    await recordNotifications(tx.kysely as Kysely<ServerDatabase>, committed);
    await next?.(tx, committed);
  };
}

async function recordNotifications(db: Kysely<ServerDatabase>, { instance, entry }: Parameters<CommitHook>[1]): Promise<void> {
  if (instance.workflowId !== 'reform-task' || !isNotifiedEvent(entry.type)) return;
  const task = instance.snapshot.context as ReformTaskContext;
  const units = notificationRecipients(entry.type, entry.payload, task);
  if (units.length === 0) return;
  const { title, body } = notificationMessage(entry.type, entry, task);
  await writeNotices(db, units.map((unit) => ({ unit, task_id: instance.id, entry_seq: entry.seq, type: entry.type, title, body, created_at: entry.at, acknowledged_at: null })), entry.at);
}

/**
 * Writes notices (one per entry and unit: a notice already written for its entry and unit is left
 * alone) and, for each new one, its channels' outbox rows and its unit's webhook delivery, all
 * through `db` (the transaction of the entry that causes them). Does IO only through `db`.
 */
export async function writeNotices(db: Kysely<ServerDatabase>, notices: readonly Insertable<NotificationTable>[], at: string): Promise<void> {
  if (notices.length === 0) return;
  const inserted = await db
    .insertInto('notification')
    .values([...notices])
    .onConflict((conflict) => conflict.columns(['entry_seq', 'unit']).doNothing())
    .returning(['id', 'unit', 'type'])
    .execute();
  if (inserted.length === 0) return;
  await queueChannelDeliveries(db, inserted.map((row) => ({ id: Number(row.id), unit: row.unit, type: row.type })), at);
  const webhooks = await db.selectFrom('webhook').select(['id', 'unit']).where('unit', 'in', inserted.map((row) => row.unit)).execute();
  const webhookOf = new Map(webhooks.map((webhook) => [webhook.unit, Number(webhook.id)]));
  const deliveries = inserted.flatMap((row) => {
    const webhookId = webhookOf.get(row.unit);
    return webhookId === undefined
      ? []
      : [{ notification_id: Number(row.id), webhook_id: webhookId, status: 'pending' as const, attempts: 0, next_attempt_at: at, last_attempt_at: null, last_error: null, delivered_at: null, created_at: at }];
  });
  if (deliveries.length === 0) return;
  await db
    .insertInto('webhook_delivery')
    .values(deliveries)
    .onConflict((conflict) => conflict.columns(['notification_id', 'webhook_id']).doNothing())
    .execute();
}
