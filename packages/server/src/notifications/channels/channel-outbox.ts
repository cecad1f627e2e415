import type { Insertable, Kysely } from 'kysely';
import type { NoticeDeliveryTable, ServerDatabase } from '../../db/server-tables.ts';

/** A notice just written, as the outbox needs it. */
export interface NewNotice {
  readonly id: number;
  readonly unit: string;
  readonly type: string;
}

/** The recipient of a robot's delivery (one robot per channel per unit). */
export const ROBOT_RECIPIENT = 'robot';

/**
 * Queues the channels' deliveries of notices just written, in the same transaction: for each notice one
 * row per channel of its unit that takes its type (the unit's mailbox, its robots), and one e-mail per
 * person of the unit who wants them (enabled, with an address; the kinds of the unit's e-mail channel
 * if it has one). Nothing is sent here; the dispatcher sends after the commit. Running twice adds
 * nothing (UNIQUE (notification_id, channel, recipient)). Does IO only through `db`.
 */
export async function queueChannelDeliveries(db: Kysely<ServerDatabase>, notices: readonly NewNotice[], at: string): Promise<void> {
  if (notices.length === 0) return;
  const units = [...new Set(notices.map((notice) => notice.unit))];
  const channels = await db.selectFrom('notice_channel').select(['id', 'unit', 'channel', 'target', 'kinds']).where('unit', 'in', units).orderBy('id').execute();
  const people = await db
    .selectFrom('account as a')
    .innerJoin('notice_person as p', 'p.account_id', 'a.id')
    .select(['a.id', 'a.unit', 'a.email'])
    .where('a.unit', 'in', units)
    .where('a.email', 'is not', null)
    .where('a.disabled_at', 'is', null)
    .where('p.email', '=', 1)
    .orderBy('a.id')
    .execute();
  if (channels.length === 0 && people.length === 0) return;
  const takes = (kinds: string | null, type: string) => kinds === null || (JSON.parse(kinds) as string[]).includes(type);
  const pending = { status: 'pending' as const, attempts: 0, next_attempt_at: at, last_attempt_at: null, last_error: null, delivered_at: null, created_at: at };
  const rows: Insertable<NoticeDeliveryTable>[] = [];
  for (const notice of notices) {
    const own = channels.filter((channel) => channel.unit === notice.unit);
    for (const channel of own) {
      if (!takes(channel.kinds, notice.type)) continue;
      rows.push({ notification_id: notice.id, channel: channel.channel, channel_id: Number(channel.id), account_id: null, recipient: channel.channel === 'email' ? channel.target : ROBOT_RECIPIENT, ...pending });
    }
    const mailbox = own.find((channel) => channel.channel === 'email');
    if (mailbox !== undefined && !takes(mailbox.kinds, notice.type)) continue;
    for (const person of people) {
      if (person.unit !== notice.unit || person.email === null) continue;
      rows.push({ notification_id: notice.id, channel: 'email', channel_id: null, account_id: Number(person.id), recipient: person.email, ...pending });
    }
  }
  if (rows.length === 0) return;
  await db
    .insertInto('notice_delivery')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['notification_id', 'channel', 'recipient']).doNothing())
    .execute();
}
