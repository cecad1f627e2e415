import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { NoticeChannelKind, ServerDatabase } from '../../db/server-tables.ts';
import { PeriodicRounds } from '../../jobs/periodic-rounds.ts';
import type { Clock } from '../../time/clock.ts';
import { CHANNEL_MAX_ATTEMPTS, channelRetryDelayMs } from './channel-backoff.ts';
import type { EmailSender } from './email-sender.ts';
import type { RobotNotice } from './robot-message.ts';
import { dingtalkMessage, dingtalkSignedUrl, wecomMessage } from './robot-message.ts';
import type { RobotUrlPolicy } from './robot-url.ts';
import { checkRobotUrl } from './robot-url.ts';

export interface ChannelDispatcherOptions {
  /** Sends e-mail; without it e-mail deliveries wait in the outbox (no SMTP server configured). */
  readonly mailer?: EmailSender | undefined;
  /** Where robots may be sent (checked again before each send). */
  readonly robots: RobotUrlPolicy;
  /** How often the outbox is polled; default 1 s. */
  readonly intervalMs?: number;
  /** How long one robot POST may take; default 10 s. */
  readonly timeoutMs?: number;
  /** How long a claimed delivery is left to its sender before another round may take it again; default 5 min. */
  readonly leaseMs?: number;
  /** Deliveries claimed per round; default 20. */
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  /** The first wait after a failure (doubled each time, up to an hour); default 10 s. */
  readonly baseDelayMs?: number;
  /** The jitter's source, in [0, 1); Math.random by default. */
  readonly random?: () => number;
}

/** What one round did, by delivery id. */
export interface ChannelRoundReport {
  readonly delivered: number[];
  readonly retrying: number[];
  readonly failed: number[];
}

/**
 * Sends the channels' outbox (`notice_delivery`) after the transitions that wrote it have committed:
 * each round (at the clock's time) it claims the due pending deliveries in one transaction — on
 * PostgreSQL with FOR UPDATE SKIP LOCKED, so several servers never take the same one — by moving them a
 * lease ahead, then sends each (e-mail through SMTP; 企业微信 and 钉钉 robots as their JSON, 钉钉's URL
 * signed) and records the outcome: delivered; or retried after an exponential, jittered wait; or after
 * `maxAttempts` failed. A send that hangs is bounded by its timeouts; a process that dies mid-send
 * leaves the delivery to be taken again when its lease ends (at least once). Rounds never overlap; a
 * failed round is logged. Does IO.
 */
export class ChannelDispatcher {
  private readonly rounds: PeriodicRounds<ChannelRoundReport>;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly random: () => number;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ChannelDispatcherOptions,
  ) {
    this.rounds = new PeriodicRounds('ChannelDispatcher', () => this.round(), options.intervalMs ?? 1_000);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? 300_000;
    this.batchSize = options.batchSize ?? 20;
    this.maxAttempts = options.maxAttempts ?? CHANNEL_MAX_ATTEMPTS;
    this.baseDelayMs = options.baseDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error(`ChannelDispatcher: maxAttempts must be an integer >= 1, got ${this.maxAttempts}`);
  }

  start(): void {
    this.rounds.start();
  }

  /** One round at the clock's time, after any round in progress. */
  tick(): Promise<ChannelRoundReport> {
    return this.rounds.tick();
  }

  /** Stops polling and waits for a round in progress; what is unsent stays in the outbox. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  private async round(): Promise<ChannelRoundReport> {
    const report: ChannelRoundReport = { delivered: [], retrying: [], failed: [] };
    const now = this.clock.now();
    try {
      const claimed = await this.claim(now);
      await Promise.all(
        claimed.map(async (id) => {
          const outcome = await this.deliver(id);
          if (outcome !== undefined) report[outcome].push(id);
        }),
      );
    } catch (error) {
      this.logger.error({ err: error, now: now.toISOString() }, 'notice channel round failed; will retry next round');
    }
    for (const ids of [report.delivered, report.retrying, report.failed]) ids.sort((x, y) => x - y);
    return report;
  }

  /** Takes the due deliveries, moving them a lease ahead, in one transaction; their ids. */
  private async claim(now: Date): Promise<number[]> {
    const dueRows = (db: Kysely<ServerDatabase>) => {
      const due = db.selectFrom('notice_delivery').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now.toISOString());
      // Without an SMTP server e-mail waits; it is sent once one is configured.
      return this.options.mailer === undefined ? due.where('channel', '!=', 'email') : due;
    };
    // Most rounds find nothing: a plain read first, so that an idle outbox opens no write transaction every second.
    if ((await dueRows(this.db).limit(1).execute()).length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      let due = dueRows(trx).orderBy('next_attempt_at').orderBy('id').limit(this.batchSize);
      if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((row) => Number(row.id));
      if (ids.length === 0) return [];
      await trx
        .updateTable('notice_delivery')
        .set({ next_attempt_at: new Date(now.getTime() + this.leaseMs).toISOString() })
        .where('id', 'in', ids)
        .execute();
      return ids;
    });
  }

  private async deliver(id: number): Promise<keyof ChannelRoundReport | undefined> {
    const row = await this.db
      .selectFrom('notice_delivery as d')
      .innerJoin('notification as n', 'n.id', 'd.notification_id')
      .leftJoin('notice_channel as c', 'c.id', 'd.channel_id')
      .select(['d.channel', 'd.channel_id', 'd.recipient', 'd.attempts', 'n.unit', 'n.task_id', 'n.title', 'n.body', 'c.target', 'c.secret', 'c.format'])
      .where('d.id', '=', id)
      .where('d.status', '=', 'pending')
      .executeTakeFirst();
    // Cancelled meanwhile (the channel was removed).
    if (row === undefined) return undefined;
    if (row.channel_id !== null && row.target === null) return undefined;
    const notice: RobotNotice = { title: row.title, body: row.body, taskId: row.task_id, unit: row.unit };
    const error = await this.send(row.channel, row.channel_id === null ? row.recipient : row.target!, row.secret, row.format ?? 'markdown', notice);
    const attempts = Number(row.attempts) + 1;
    const outcome = await this.record(id, attempts, error);
    if (error !== null) this.logger.warn({ delivery: id, channel: row.channel, unit: row.unit, attempt: attempts, error, outcome }, 'notice channel delivery failed');
    return outcome;
  }

  /** Sends by the channel; null when it went, else what went wrong (English, for the log). */
  private async send(channel: NoticeChannelKind, target: string, secret: string | null, format: string, notice: RobotNotice): Promise<string | null> {
    try {
      if (channel === 'email') {
        const mailer = this.options.mailer;
        if (mailer === undefined) return 'no SMTP server configured';
        await mailer.send({ to: target, subject: notice.title, text: `${notice.body}\n\n${notice.taskId === '' ? '' : `任务编号：${notice.taskId}\n`}发往：${notice.unit}\n\n（本邮件由督办系统自动发送，请勿直接回复。）` });
        return null;
      }
      const href = await checkRobotUrl(target, this.options.robots);
      const url = channel === 'dingtalk' && secret !== null ? dingtalkSignedUrl(href, secret, this.clock.now().getTime()) : href;
      const message = channel === 'wecom' ? wecomMessage(notice, format === 'text' ? 'text' : 'markdown') : dingtalkMessage(notice);
      return await this.post(url, JSON.stringify(message));
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      return String(cause?.code ?? (error as { code?: unknown }).code ?? cause?.message ?? (error as Error).message);
    }
  }

  /** POSTs a robot's JSON; the robots answer 200 with `errcode` 0 when they took it. */
  private async post(url: string, body: string): Promise<string | null> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'duban-notices/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      if (response.status < 200 || response.status >= 300) return `HTTP ${response.status}`;
      let answer: { errcode?: unknown; errmsg?: unknown } = {};
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return `HTTP ${response.status} with a body that is not JSON`;
      }
      return answer.errcode === 0 || answer.errcode === undefined ? null : `errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')}`.slice(0, 500);
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
      throw error;
    }
  }

  private async record(id: number, attempts: number, error: string | null): Promise<keyof ChannelRoundReport> {
    const at = this.clock.now();
    const outcome: keyof ChannelRoundReport = error === null ? 'delivered' : attempts >= this.maxAttempts ? 'failed' : 'retrying';
    const next = outcome === 'retrying' ? new Date(at.getTime() + channelRetryDelayMs(attempts, this.random(), this.baseDelayMs)).toISOString() : at.toISOString();
    await this.db
      .updateTable('notice_delivery')
      .set({
        status: outcome === 'retrying' ? 'pending' : outcome,
        attempts,
        next_attempt_at: next,
        last_attempt_at: at.toISOString(),
        last_error: error === null ? null : error.slice(0, 1000),
        delivered_at: error === null ? at.toISOString() : null,
      })
      .where('id', '=', id)
      // A channel removed meanwhile has cancelled it: leave it so.
      .where('status', '=', 'pending')
      .execute();
    return outcome;
  }
}
