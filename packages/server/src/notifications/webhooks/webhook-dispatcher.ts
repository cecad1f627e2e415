import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../time/clock.ts';
import { PeriodicRounds } from '../../jobs/periodic-rounds.ts';
import type { ServerDatabase } from '../../db/server-tables.ts';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS, retryDelayMs } from './webhook-backoff.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, webhookSignature } from './webhook-signature.ts';

export interface WebhookDispatcherOptions {
  /** How often the outbox is polled; default 1 s. */
  readonly intervalMs?: number;
  /** How long one POST may take before it counts as failed; default 10 s. */
  readonly timeoutMs?: number;
  /** Deliveries sent per round, at once; default 20. */
  readonly batchSize?: number;
  readonly backoffMs?: readonly number[];
  readonly maxAttempts?: number;
}

/** What one round did, by delivery (outbox) id. */
export interface DispatchReport {
  readonly delivered: number[];
  /** Failed this time, to be tried again after the backoff. */
  readonly retrying: number[];
  /** Failed for the last time: given up. */
  readonly failed: number[];
}

/** The JSON a receiver gets. */
export interface WebhookPayload {
  readonly id: number;
  readonly unit: string;
  readonly taskId: string;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly entrySeq: number;
  readonly createdAt: string;
}

// Once claimed, a delivery is left alone this much longer than a POST may take: if the process dies
// mid-send, another round (or server) sends it again after that — at least once, never lost.
const CLAIM_MARGIN_MS = 60_000;

/**
 * Sends the webhook outbox: every round (at the clock's time) it takes the pending deliveries that are
 * due, claims each, POSTs the notification as JSON signed with the unit's secret, and records the
 * outcome — delivered on a 2xx; otherwise retried after an exponential backoff until `maxAttempts`, then
 * `failed`. Delivery is at least once: receivers drop repeats by `X-Duban-Delivery`. Transitions only
 * insert outbox rows; nothing here runs inside them. Rounds never overlap; a failed round is logged.
 */
export class WebhookDispatcher {
  private readonly rounds: PeriodicRounds<DispatchReport>;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly backoffMs: readonly number[];
  private readonly maxAttempts: number;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: WebhookDispatcherOptions = {},
  ) {
    this.rounds = new PeriodicRounds('WebhookDispatcher', () => this.round(), options.intervalMs ?? 1_000);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchSize = options.batchSize ?? 20;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error(`WebhookDispatcher: maxAttempts must be an integer >= 1, got ${this.maxAttempts}`);
    if (this.backoffMs.length === 0 || this.backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) throw new Error('WebhookDispatcher: backoffMs must be a non-empty list of waits >= 0');
  }

  /** Starts polling every `intervalMs`. */
  start(): void {
    this.rounds.start();
  }

  /** One round at the clock's time, after any round in progress. */
  tick(): Promise<DispatchReport> {
    return this.rounds.tick();
  }

  /** Stops polling and waits for a round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  private async round(): Promise<DispatchReport> {
    const report: DispatchReport = { delivered: [], retrying: [], failed: [] };
    const now = this.clock.now();
    try {
      const due = await this.db
        .selectFrom('webhook_delivery as d')
        .innerJoin('notification as n', 'n.id', 'd.notification_id')
        .innerJoin('webhook as w', 'w.id', 'd.webhook_id')
        .select([
          'd.id as deliveryId',
          'd.attempts',
          'd.next_attempt_at as nextAttemptAt',
          'w.url',
          'w.secret',
          'n.id as notificationId',
          'n.unit',
          'n.task_id as taskId',
          'n.type',
          'n.title',
          'n.body',
          'n.entry_seq as entrySeq',
          'n.created_at as createdAt',
        ])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now.toISOString())
        .orderBy('d.next_attempt_at')
        .orderBy('d.id')
        .limit(this.batchSize)
        .execute();
      const leaseUntil = new Date(now.getTime() + this.timeoutMs + CLAIM_MARGIN_MS).toISOString();
      await Promise.all(
        due.map(async (row) => {
          const claimed = await this.db
            .updateTable('webhook_delivery')
            .set({ next_attempt_at: leaseUntil })
            .where('id', '=', row.deliveryId)
            .where('status', '=', 'pending')
            .where('next_attempt_at', '=', row.nextAttemptAt)
            .executeTakeFirst();
          // Another round or server took it first.
          if (claimed.numUpdatedRows !== 1n) return;
          const payload: WebhookPayload = {
            id: Number(row.notificationId),
            unit: row.unit,
            taskId: row.taskId,
            type: row.type,
            title: row.title,
            body: row.body,
            entrySeq: Number(row.entrySeq),
            createdAt: row.createdAt,
          };
          const deliveryId = Number(row.deliveryId);
          const error = await this.post(row.url, row.secret, deliveryId, JSON.stringify(payload));
          const outcome = await this.record(deliveryId, Number(row.attempts) + 1, error);
          report[outcome].push(deliveryId);
          if (error !== null) this.logger.warn({ delivery: deliveryId, url: row.url, attempt: Number(row.attempts) + 1, error, outcome }, 'webhook delivery failed');
        }),
      );
    } catch (error) {
      this.logger.error({ err: error, now: now.toISOString() }, 'webhook round failed; will retry next round');
    }
    for (const ids of [report.delivered, report.retrying, report.failed]) ids.sort((x, y) => x - y);
    return report;
  }

  /** POSTs the body; null on a 2xx, else what went wrong. */
  private async post(url: string, secret: string, deliveryId: number, body: string): Promise<string | null> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'duban-webhook/1',
          [SIGNATURE_HEADER]: webhookSignature(body, secret),
          [DELIVERY_HEADER]: String(deliveryId),
        },
        body,
        // A redirect is not a delivery: the receiver must answer at the URL it was given.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      return String(cause?.code ?? cause?.message ?? (error as Error).message);
    }
  }

  private async record(deliveryId: number, attempts: number, error: string | null): Promise<keyof DispatchReport> {
    const at = this.clock.now();
    const outcome: keyof DispatchReport = error === null ? 'delivered' : attempts >= this.maxAttempts ? 'failed' : 'retrying';
    const next = outcome === 'retrying' ? new Date(at.getTime() + retryDelayMs(attempts, this.backoffMs)).toISOString() : at.toISOString();
    await this.db
      .updateTable('webhook_delivery')
      .set({
        status: outcome === 'retrying' ? 'pending' : outcome,
        attempts,
        next_attempt_at: next,
        last_attempt_at: at.toISOString(),
        last_error: error,
        delivered_at: error === null ? at.toISOString() : null,
      })
      .where('id', '=', deliveryId)
      // A webhook removed meanwhile has cancelled it: leave it so.
      .where('status', '=', 'pending')
      .execute();
    return outcome;
  }
}
