import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../db/server-tables.ts';
import { webhookUrl } from './webhook-url.ts';

/** A webhook as listed: never its secret. */
export interface WebhookRecord {
  readonly id: number;
  readonly unit: string;
  readonly url: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Its outbox, by status. */
  readonly deliveries: { readonly pending: number; readonly delivered: number; readonly failed: number; readonly cancelled: number };
}

/** The shortest secret accepted: 16 characters. */
export const MIN_SECRET_LENGTH = 16;

/**
 * The `webhook` table: at most one endpoint per unit. Notifications created after a unit has a webhook
 * are queued for it (by the commit hook); the dispatcher sends them. Does IO.
 */
export class WebhookStore {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /**
   * Sets the unit's endpoint (replacing the URL and secret it had: deliveries still pending go to the
   * new one). Throws an Error for a URL that is not http(s) or a secret that is too short or not
   * printable ASCII.
   */
  async set(unit: string, url: string, secret: string, at: Date): Promise<{ record: WebhookRecord; replaced: boolean }> {
    const href = webhookUrl(url);
    if (secret.length < MIN_SECRET_LENGTH || secret.length > 256 || !/^[\x21-\x7E]+$/.test(secret)) {
      throw new Error(`the webhook secret must be ${MIN_SECRET_LENGTH} to 256 printable ASCII characters without spaces`);
    }
    const now = at.toISOString();
    const replaced = await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('webhook').select('id').where('unit', '=', unit).executeTakeFirst();
      if (existing === undefined) {
        await trx.insertInto('webhook').values({ unit, url: href, secret, created_at: now, updated_at: now }).execute();
        return false;
      }
      await trx.updateTable('webhook').set({ url: href, secret, updated_at: now }).where('id', '=', existing.id).execute();
      return true;
    });
    const record = (await this.list()).find((webhook) => webhook.unit === unit);
    if (record === undefined) throw new Error(`webhook of ${unit} vanished while it was being set`);
    return { record, replaced };
  }

  async list(): Promise<WebhookRecord[]> {
    const webhooks = await this.db.selectFrom('webhook').select(['id', 'unit', 'url', 'created_at', 'updated_at']).orderBy('unit').execute();
    const counts = await this.db
      .selectFrom('webhook_delivery')
      .select(['webhook_id', 'status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .groupBy(['webhook_id', 'status'])
      .execute();
    return webhooks.map((webhook) => {
      const deliveries = { pending: 0, delivered: 0, failed: 0, cancelled: 0 };
      for (const count of counts) if (Number(count.webhook_id) === Number(webhook.id)) deliveries[count.status] += Number(count.n);
      return { id: Number(webhook.id), unit: webhook.unit, url: webhook.url, createdAt: webhook.created_at, updatedAt: webhook.updated_at, deliveries };
    });
  }

  /** Removes the unit's webhook; its deliveries still pending are cancelled. False when it had none. */
  async remove(unit: string, at: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('webhook').select('id').where('unit', '=', unit).executeTakeFirst();
      if (existing === undefined) return false;
      await trx
        .updateTable('webhook_delivery')
        .set({ status: 'cancelled', last_error: `webhook removed at ${at.toISOString()}` })
        .where('webhook_id', '=', existing.id)
        .where('status', '=', 'pending')
        .execute();
      await trx.deleteFrom('webhook').where('id', '=', existing.id).execute();
      return true;
    });
  }
}
