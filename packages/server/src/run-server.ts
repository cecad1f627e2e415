import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import { createApp } from './create-app.ts';
import { FixedWindowRateLimiter } from './fixed-window-rate-limiter.ts';
import { importPlan } from './import-plan.ts';
import type { LoadedPlan } from './load-plan-file.ts';
import { openDuban } from './open-duban.ts';
import type { Duban } from './open-duban.ts';
import { unlimited } from './rate-limiter.ts';
import { Scheduler } from './scheduler.ts';
import { karamayUnits } from '@duban/plan';

export interface ServerOptions {
  /** SQLite file (created if missing) or `postgres://` URL. */
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Requests per token per minute; 0 turns the limit off. */
  readonly rateLimit: number;
  /** Imported (idempotently) before the server listens. */
  readonly plan?: LoadedPlan;
  readonly timerIntervalMs?: number;
}

/** A server that is listening. */
export interface RunningServer extends Duban {
  readonly url: string;
  readonly scheduler: Scheduler;
  readonly imported?: { created: string[]; existing: string[] };
  /** Stops accepting, finishes requests in flight, stops the scheduler, closes the database. */
  close(): Promise<void>;
}

/** How long in-flight requests get to finish on shutdown before their connections are cut. */
const DRAIN_MS = 10_000;

/**
 * Opens the database (creating and migrating it), imports the plan if given, fires the timers due
 * (catch-up), then serves the API on host:port. Does IO.
 */
export async function runServer(options: ServerOptions): Promise<RunningServer> {
  const duban = await openDuban(options.db, { create: true });
  const { engine, tokens } = duban;
  let server: Server | undefined;
  let scheduler: Scheduler | undefined;
  try {
    const imported = options.plan === undefined ? undefined : await importPlan(engine, options.plan.plan, options.plan.planId, options.clock.now());
    if (imported !== undefined) options.logger.info({ planId: options.plan?.planId, created: imported.created.length, existing: imported.existing.length }, 'plan imported');
    scheduler = new Scheduler(engine, options.clock, options.logger, options.timerIntervalMs);
    await scheduler.start();
    const app = createApp({
      engine,
      clock: options.clock,
      logger: options.logger,
      tokens,
      rateLimit: options.rateLimit > 0 ? new FixedWindowRateLimiter(options.rateLimit) : unlimited,
      units: karamayUnits,
    });
    server = app.listen(options.port, options.host);
    await once(server, 'listening');
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    options.logger.info({ url }, 'listening');
    const listening = server;
    const running = scheduler;
    let closing: Promise<void> | undefined;
    return {
      engine,
      tokens,
      url,
      scheduler: running,
      ...(imported === undefined ? {} : { imported }),
      close: () => (closing ??= shutdown(listening, running, duban, options.logger)),
    };
  } catch (error) {
    await scheduler?.stop();
    server?.close();
    await duban.close();
    throw error;
  }
}

async function shutdown(server: Server, scheduler: Scheduler, duban: Duban, logger: Logger): Promise<void> {
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
  await duban.close();
  logger.info('stopped');
}
