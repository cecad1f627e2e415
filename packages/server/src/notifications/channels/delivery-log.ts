import type { Kysely } from 'kysely';
import type { DeliveryStatus, NoticeChannelKind, ServerDatabase } from '../../db/server-tables.ts';

/** One send of a notice by a channel, as the office reads it. */
export interface DeliveryLogEntry {
  readonly id: number;
  readonly notificationId: number;
  readonly unit: string;
  readonly taskId: string;
  readonly type: string;
  readonly title: string;
  readonly channel: NoticeChannelKind;
  /** The e-mail address, or `robot`. */
  readonly recipient: string;
  /** The person it went to, for a person's e-mail. */
  readonly accountId: number | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** When it is tried next (while pending). */
  readonly nextAttemptAt: string;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
}

export interface DeliveryLogQuery {
  readonly unit?: string | undefined;
  readonly channel?: NoticeChannelKind | undefined;
  readonly status?: DeliveryStatus | undefined;
  readonly limit: number;
  /** Only ids below this one (the next page). */
  readonly beforeId?: number | undefined;
}

/** The channels' delivery log, newest first, a page at a time; `nextId` is the next page's `beforeId`. Does IO. */
export async function readDeliveryLog(db: Kysely<ServerDatabase>, query: DeliveryLogQuery): Promise<{ items: DeliveryLogEntry[]; nextId: number | null }> {
  let select = db
    .selectFrom('notice_delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .select([
      'd.id',
      'd.notification_id',
      'n.unit',
      'n.task_id',
      'n.type',
      'n.title',
      'd.channel',
      'd.recipient',
      'd.account_id',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ]);
  if (query.unit !== undefined) select = select.where('n.unit', '=', query.unit);
  if (query.channel !== undefined) select = select.where('d.channel', '=', query.channel);
  if (query.status !== undefined) select = select.where('d.status', '=', query.status);
  if (query.beforeId !== undefined) select = select.where('d.id', '<', query.beforeId);
  const rows = await select.orderBy('d.id', 'desc').limit(query.limit + 1).execute();
  const items = rows.slice(0, query.limit).map((row) => ({
    id: Number(row.id),
    notificationId: Number(row.notification_id),
    unit: row.unit,
    taskId: row.task_id,
    type: row.type,
    title: row.title,
    channel: row.channel,
    recipient: row.recipient,
    accountId: row.account_id === null ? null : Number(row.account_id),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }));
  const last = items[items.length - 1];
  return { items, nextId: rows.length > query.limit && last !== undefined ? last.id : null };
}
