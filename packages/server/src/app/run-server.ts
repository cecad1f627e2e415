import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { openAuditSigner } from '../audit/keys/audit-signer.ts';
import type { CheckpointPolicy, Wakeups } from '../audit/checkpoints/checkpoint-issuer.ts';
import { CheckpointIssuer } from '../audit/checkpoints/checkpoint-issuer.ts';
import type { Clock } from '../time/clock.ts';
import type { HeavyReadLimits } from '../http/heavy-reads.ts';
import { createApp } from './create-app.ts';
import { PeriodicRounds } from '../jobs/periodic-rounds.ts';
import { Progress } from '../jobs/progress.ts';
import type { SkippedTask } from '../plans/import-plan.ts';
import { WebhookDispatcher } from '../notifications/webhooks/webhook-dispatcher.ts';
import { ChannelDispatcher } from '../notifications/channels/channel-dispatcher.ts';
import type { SmtpSettings } from '../notifications/channels/email-sender.ts';
import { smtpEmailSender } from '../notifications/channels/email-sender.ts';
import type { LoadedPlan } from '../plans/load-plan-file.ts';
import type { UnitRegistry } from '@duban/plan';
import { openDuban } from './open-duban.ts';
import type { Duban } from './open-duban.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { appDeps } from './app-deps.ts';
import type { SsoSettings } from '../sso/sso-settings.ts';

export interface ServerOptions {
  /** SQLite file (created if missing) or `postgres://` URL. */
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Requests per token per minute; 0 turns the limit off. */
  readonly rateLimit: number;
  /** The units file an empty unit registry is seeded from (data/units.json by default); a registry with units ignores it. */
  readonly unitsFile?: string;
  /**
   * Imported (idempotently) before the server listens: a plan read already, or one to read with the
   * database's unit registry once it is open (`serve --plan`).
   */
  readonly plan?: LoadedPlan | ((units: UnitRegistry) => Promise<LoadedPlan>);
  readonly timerIntervalMs?: number;
  /** Where the audit signing key lives (required for PostgreSQL); by default `<db>.keys/`. */
  readonly keyDir?: string;
  /** When to sign checkpoints; by default soon after each commit, at most every 2 s (sooner at 1000 waiting entries), and every minute if the log grew. */
  readonly checkpoints?: CheckpointPolicy;
  /** How the checkpoint issuer waits out its interval between signings; Node's timers by default (a test drives its own). */
  readonly checkpointWakeups?: Wakeups;
  /** Heavy reads (replays, verifications, past-day reports) at once and waiting; 2 and 6 by default. */
  readonly heavyReads?: HeavyReadLimits;
  /** Express's `trust proxy` (see AppDeps.trustProxy); off by default. */
  readonly trustProxy?: number | string;
  /** The OpenID provider people may sign in through (单点登录); off by default. */
  readonly sso?: SsoSettings | undefined;
  /** The SMTP relay notices are mailed through; without it e-mail deliveries wait in the outbox. */
  readonly smtp?: SmtpSettings;
  /** Tests and development only: group-robot URLs may point at loopback, over http too. */
  readonly allowLoopbackRobots?: boolean;
  /** The number prefix of issued circulars (文号), e.g. 克改办通; DEFAULT_CIRCULAR_PREFIX by default. */
  readonly circularPrefix?: string;
}

/** A server that is listening. */
export interface RunningServer extends Duban {
  readonly url: string;
  readonly scheduler: Scheduler;
  /** Signs the audit log's checkpoints (its `signer` holds the public key reviewers keep). */
  readonly checkpoints: CheckpointIssuer;
  /** Sends the webhook outbox (notifications to units' endpoints). */
  readonly dispatcher: WebhookDispatcher;
  /** Sends the channels' outbox (e-mail, 企业微信 and 钉钉 robots). */
  readonly channelDispatcher: ChannelDispatcher;
  readonly imported?: { created: string[]; existing: string[]; skipped: SkippedTask[] };
  /** Stops accepting, finishes requests in flight, stops the scheduler, closes the database. */
  close(): Promise<void>;
}

/** How long in-flight requests get to finish on shutdown before their connections are cut. */
const DRAIN_MS = 10_000;
/** How often the chunks of uploads a killed server left behind are looked for (and once at start). */
const ABANDONED_UPLOADS_INTERVAL_MS = 10 * 60 * 1000;
/** How often the report read model reads the log's tail between reports. */
const READ_MODEL_INTERVAL_MS = 5_000;
/** How often the report read model's checkpoint is written again, when this many entries or more were folded in since the last. */
const READ_MODEL_CHECKPOINT_INTERVAL_MS = 10 * 60 * 1000;
const READ_MODEL_CHECKPOINT_ENTRIES = 10_000;

/**
 * Opens the database (creating and migrating it), imports the plan if given, fires the timers due
 * (catch-up), then serves the API on host:port. Does IO.
 */
export async function runServer(options: ServerOptions): Promise<RunningServer> {
  let checkpoints: CheckpointIssuer | undefined;
  const duban = await openDuban(options.db, { create: true, rateLimit: options.rateLimit, logger: options.logger, unitsFile: options.unitsFile, sso: options.sso, ...(options.heavyReads === undefined ? {} : { heavyReads: options.heavyReads }), allowLoopbackRobots: options.allowLoopbackRobots ?? false, onCommit: async (tx, { entry }) => tx.afterCommit(() => checkpoints?.noteCommit(entry.seq)) });
  const { engine } = duban;
  let server: Server | undefined;
  let scheduler: Scheduler | undefined;
  let webhooks: WebhookDispatcher | undefined;
  let channels: ChannelDispatcher | undefined;
  const mailer = options.smtp === undefined ? undefined : await smtpEmailSender(options.smtp);
  let readModel: PeriodicRounds<void> | undefined;
  let readModelCheckpoints: PeriodicRounds<void> | undefined;
  let sweeps: PeriodicRounds<void> | undefined;
  try {
    const signer = await openAuditSigner(engine, options.db, { keyDir: options.keyDir, create: true });
    checkpoints = new CheckpointIssuer(engine, signer, options.clock, options.logger, options.checkpoints, options.checkpointWakeups);
    const plan = typeof options.plan === 'function' ? await options.plan(duban.units.registry) : options.plan;
    const imported = plan === undefined ? undefined : await duban.planImports.ensure(plan.plan, plan.planId, options.clock.now(), plan.source);
    if (imported !== undefined) options.logger.info({ planId: plan?.planId, created: imported.created.length, existing: imported.existing.length, skipped: imported.skipped.map((task) => task.number) }, 'plan imported');
    scheduler = new Scheduler(engine, options.clock, options.logger, options.timerIntervalMs);
    await scheduler.start();
    await checkpoints.start();
    webhooks = new WebhookDispatcher(engine.store.kysely as Kysely<ServerDatabase>, options.clock, options.logger);
    webhooks.start();
    channels = new ChannelDispatcher(engine.store.kysely as Kysely<ServerDatabase>, engine.store.dialect, options.clock, options.logger, { mailer, robots: { allowLoopback: duban.allowLoopbackRobots } });
    channels.start();
    const app = createApp(appDeps(duban, { clock: options.clock, logger: options.logger, auditKey: signer, trustProxy: options.trustProxy, circularPrefix: options.circularPrefix }));
    server = app.listen(options.port, options.host);
    // A client that trickles its headers or body is cut off instead of holding a socket forever.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await once(server, 'listening');
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    options.logger.info({ url }, 'listening');
    // The report read model reads the whole log once listening (its reads share SQLite's one connection
    // with everything else, so not before), then the log's tail every few seconds, so that a report
    // after a busy spell finds little left to read.
    const currentPlan = duban.plans.current;
    // Its progress in the log, a line every few seconds: at 2,000,000 entries it takes a while.
    const logSize = await duban.engine.auditSize();
    const firstPass = new Progress('report read model: first catch-up', logSize, { write: (text: string) => options.logger.info(text.trim()) });
    currentPlan.onProgress = (seq) => firstPass.update(seq);
    const saveCheckpoint = () =>
      currentPlan.saveCheckpoint(READ_MODEL_CHECKPOINT_ENTRIES).then(
        (written) => (written ? options.logger.info('report read model: checkpoint written') : undefined),
        (error: unknown) => options.logger.warn({ err: error }, 'report read model: writing its checkpoint failed; the next round retries'),
      );
    // Its rounds are stopped (and awaited) on close, the first one after the first catch-up included.
    const checkpointRounds = new PeriodicRounds('report read model checkpoint', saveCheckpoint, READ_MODEL_CHECKPOINT_INTERVAL_MS);
    readModelCheckpoints = checkpointRounds;
    currentPlan.catchUp().finally(() => (currentPlan.onProgress = undefined)).then(
      () => {
        options.logger.info({ checkpoint: currentPlan.checkpoint }, 'report read model current');
        // Then, in the background, its checkpoint (the next start loads it and folds only the log's tail),
        // and the plan's history (past views), once: the whole log on a database that has none yet.
        void checkpointRounds.tick().then(() => {
          const building = new Progress('plan history: catch-up', logSize, { write: (text: string) => options.logger.info(text.trim()) });
          duban.plans.catchUpHistory((seq) => building.update(seq)).then(
            () => options.logger.info('plan history current'),
            (error: unknown) => options.logger.error({ err: error }, 'plan history: folding the log failed; the next past view retries'),
          );
        });
      },
      (error: unknown) => options.logger.error({ err: error }, 'report read model: reading the log failed; the next report retries'),
    );
    // pg_trgm may be missing on PostgreSQL: search still answers, by a scan, and the log says how to fix it.
    duban.search.describe().then(
      ({ indexed, message }) => (indexed ? options.logger.info(message) : options.logger.warn(message)),
      (error: unknown) => options.logger.warn({ err: error }, 'task search: cannot tell whether its index exists'),
    );
    readModel = new PeriodicRounds(
      'report read model',
      () =>
        currentPlan
          .catchUp()
          .then(() => duban.plans.catchUpHistory())
          .catch((error: unknown) => options.logger.warn({ err: error }, 'report read model: reading the log’s tail failed; the next round retries')),
      READ_MODEL_INTERVAL_MS,
    );
    readModel.start();
    checkpointRounds.start();
    // Bounded rounds (a few hundred megabytes of chunks at most), so the first runs beside the first requests.
    sweeps = new PeriodicRounds(
      'abandoned uploads',
      () => duban.abandonedUploads.sweep(options.clock.now()).then(
        () => undefined,
        (error: unknown) => options.logger.warn({ err: error }, 'abandoned uploads: the sweep failed; the next round retries'),
      ),
      ABANDONED_UPLOADS_INTERVAL_MS,
    );
    void sweeps.tick();
    sweeps.start();
    const listening = server;
    const running = scheduler;
    const signing = checkpoints;
    const dispatching = webhooks;
    const sendingChannels = channels;
    const reading = readModel;
    const checkpointing = checkpointRounds;
    const sweeping = sweeps;
    let closing: Promise<void> | undefined;
    return {
      ...duban,
      url,
      scheduler: running,
      checkpoints: signing,
      ...(imported === undefined ? {} : { imported }),
      dispatcher: dispatching,
      channelDispatcher: sendingChannels,
      // The dispatchers stop first: what they have not sent stays in the outbox for the next start.
      close: () =>
        (closing ??= Promise.all([dispatching.stop(), sendingChannels.stop(), reading.stop(), checkpointing.stop(), sweeping.stop()]).then(() => {
          mailer?.close();
          return shutdown(listening, running, signing, duban, options.logger);
        })),
    };
  } catch (error) {
    await readModel?.stop();
    await readModelCheckpoints?.stop();
    await sweeps?.stop();
    await webhooks?.stop();
    await channels?.stop();
    mailer?.close();
    await scheduler?.stop();
    await checkpoints?.stop();
    server?.close();
    await duban.close();
    throw error;
  }
}

async function shutdown(server: Server, scheduler: Scheduler, checkpoints: CheckpointIssuer, duban: Duban, logger: Logger): Promise<void> {
  logger.info('shutting down: no new connections, finishing requests in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections turn idle as their last request finishes; cut them as they do.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearInterval(sweep);
  clearTimeout(force);
  await scheduler.stop();
  // The last entries get a signed checkpoint before the database closes.
  await checkpoints.stop();
  await duban.close();
  logger.info('stopped');
}
