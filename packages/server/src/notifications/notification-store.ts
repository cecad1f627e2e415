import type { Kysely, Selectable } from 'kysely';
import type { ServerDatabase, NotificationTable } from '../db/server-tables.ts';

/** A notification as the API shows it. */
export interface Notification {
  readonly id: number;
  readonly unit: string;
  readonly taskId: string;
  readonly entrySeq: number;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
  readonly acknowledgedAt: string | null;
}

/** Which notifications to list: newest first, `limit` at a time, ids below `beforeId`. */
export interface NotificationQuery {
  /** Only this unit's; all units' when absent. */
  readonly unit?: string;
  readonly unreadOnly: boolean;
  readonly limit: number;
  readonly beforeId?: number;
}

/** Reads and acknowledges the `notification` table (written only by the commit hook). Does IO. */
export class NotificationStore {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** A page, newest first; `nextId` is the `beforeId` of the next page, null at the end. */
  async list(query: NotificationQuery): Promise<{ items: Notification[]; nextId: number | null }> {
    let select = this.db.selectFrom('notification').selectAll();
    if (query.unit !== undefined) select = select.where('unit', '=', query.unit);
    if (query.unreadOnly) select = select.where('acknowledged_at', 'is', null);
    if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
    const rows = await select.orderBy('id', 'desc').limit(query.limit + 1).execute();
    const items = rows.slice(0, query.limit).map(toNotification);
    const last = items[items.length - 1];
    return { items, nextId: rows.length > query.limit && last !== undefined ? last.id : null };
  }

  /**
   * Marks the notification read by `unit` at `at`, unless it was read already (the first time is kept).
   * Undefined when there is no such notification for that unit: another unit's id reads as unknown.
   */
  async acknowledge(id: number, unit: string, at: Date): Promise<Notification | undefined> {
    await this.db.updateTable('notification').set({ acknowledged_at: at.toISOString() }).where('id', '=', id).where('unit', '=', unit).where('acknowledged_at', 'is', null).execute();
    const row = await this.db.selectFrom('notification').selectAll().where('id', '=', id).where('unit', '=', unit).executeTakeFirst();
    return row === undefined ? undefined : toNotification(row);
  }

  /**
   * Marks every notice of `unit` still unread (only those of task `taskId` when given) read at `at`;
   * notices read before keep their first time. Returns how many it marked.
   */
  async acknowledgeAll(unit: string, at: Date, taskId?: string): Promise<number> {
    let update = this.db.updateTable('notification').set({ acknowledged_at: at.toISOString() }).where('unit', '=', unit).where('acknowledged_at', 'is', null);
    if (taskId !== undefined) update = update.where('task_id', '=', taskId);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** How many notices `unit` has not read. */
  async unreadCount(unit: string): Promise<number> {
    const row = await this.db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('unit', '=', unit)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toNotification(row: Selectable<NotificationTable>): Notification {
  return {
    id: Number(row.id),
    unit: row.unit,
    taskId: row.task_id,
    entrySeq: Number(row.entry_seq),
    type: row.type,
    title: row.title,
    body: row.body,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
  };
}
