import type { Generated } from 'kysely';

/** `notification`: one row per notified event per unit; UNIQUE (entry_seq, unit). */
export interface NotificationTable {
  id: Generated<number>;
  unit: string;
  task_id: string;
  /** The audit entry that caused it. */
  entry_seq: number;
  type: string;
  /** Chinese. */
  title: string;
  /** Chinese. */
  body: string;
  /** ISO instant: the audit entry's `at`. */
  created_at: string;
  acknowledged_at: string | null;
}

/** `webhook`: at most one outbound endpoint per unit. The secret signs each delivery (HMAC-SHA256). */
export interface WebhookTable {
  id: Generated<number>;
  unit: string;
  url: string;
  secret: string;
  created_at: string;
  updated_at: string;
}

/** The states of a delivery in the outbox. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** `webhook_delivery`: the outbox, one row per notification per webhook; UNIQUE (notification_id, webhook_id). */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  webhook_id: number;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** ISO instant before which the dispatcher leaves it alone. */
  next_attempt_at: string;
  last_attempt_at: string | null;
  /** `HTTP 500`, `timeout after 10000 ms`, …; null once delivered. */
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** The server tables notifications use. */
export interface NotificationDatabase {
  notification: NotificationTable;
  webhook: WebhookTable;
  webhook_delivery: WebhookDeliveryTable;
}
