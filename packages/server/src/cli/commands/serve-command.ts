import { isPostgresUrl } from '@duban/engine';
import { DEFAULT_CHECKPOINT_POLICY } from '../../audit/checkpoints/checkpoint-issuer.ts';
import { DEFAULT_HEAVY_READ_LIMITS } from '../../http/heavy-reads.ts';
import { SimulatedClock, systemClock } from '../../time/clock.ts';
import { basename } from 'node:path';
import type { UnitRegistry } from '@duban/plan';
import { loadPlanFile, planIdOf } from '../../plans/load-plan-file.ts';
import { runServer } from '../../app/run-server.ts';
import { instant, integer, parseCommandArgs } from '../cli-args.ts';
import { databaseOption } from '../database-option.ts';
import type { CliIo } from '../cli-io.ts';
import { keyDirOption } from '../key-dir-option.ts';
import { envLogger } from '../env-logger.ts';
import { serveUntilSignal } from '../serve-until-signal.ts';
import { trustedProxies, trustProxyOption } from '../trust-proxy-option.ts';
import { smtpOption } from '../smtp-option.ts';
import { isCircularPrefix } from '../../reports/circular/circular-register.ts';
import { UsageError } from '../usage-error.ts';
import { ssoFlagOptions, ssoOption } from '../sso-option.ts';

/** Default requests per token per minute. */
export const DEFAULT_RATE_LIMIT = 600;

/**
 * `serve --db … [--port N] [--host ADDR] [--plan FILE] [--units FILE] [--clock ISO] [--rate-limit N] [--timer-interval S]
 * [--checkpoint-seconds S] [--checkpoint-every N] [--checkpoint-minutes T] [--heavy-reads N] [--key-dir DIR] [--trust-proxy VALUE]
 * [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file FILE --oidc-claim NAME [--oidc-redirect-uri URL]]
 * [--smtp-host H --smtp-from ADDR [--smtp-port N] [--smtp-user U --smtp-password-file F] [--smtp-starttls]] [--allow-loopback-robots]
 * [--circular-prefix TEXT]`.
 */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      plan: { type: 'string' },
      units: { type: 'string' },
      clock: { type: 'string' },
      'rate-limit': { type: 'string' },
      'timer-interval': { type: 'string' },
      'checkpoint-seconds': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'checkpoint-minutes': { type: 'string' },
      'heavy-reads': { type: 'string' },
      'key-dir': { type: 'string' },
      'trust-proxy': { type: 'string' },
      ...ssoFlagOptions,
      'smtp-host': { type: 'string' },
      'smtp-port': { type: 'string' },
      'smtp-user': { type: 'string' },
      'smtp-password-file': { type: 'string' },
      'smtp-from': { type: 'string' },
      'smtp-starttls': { type: 'boolean' },
      'allow-loopback-robots': { type: 'boolean' },
      'circular-prefix': { type: 'string' },
    },
    { min: 0, max: 0, names: '' },
  );
  const db = databaseOption(values.db);
  if (db === ':memory:') throw new UsageError('--db must be a file or a postgres:// URL');
  const port = integer(values.port, '--port', 0, 65535, 3000);
  const host = values.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw new UsageError(`--host must be an address or host name, got ${JSON.stringify(host)}`);
  const rateLimit = integer(values['rate-limit'], '--rate-limit', 0, 1_000_000, DEFAULT_RATE_LIMIT);
  const timerIntervalMs = integer(values['timer-interval'], '--timer-interval', 1, 86_400, 30) * 1000;
  const checkpoints = {
    minIntervalMs: integer(values['checkpoint-seconds'], '--checkpoint-seconds', 0, 86_400, DEFAULT_CHECKPOINT_POLICY.minIntervalMs / 1000) * 1000,
    everyEntries: integer(values['checkpoint-every'], '--checkpoint-every', 0, 10_000_000, DEFAULT_CHECKPOINT_POLICY.everyEntries),
    intervalMs: integer(values['checkpoint-minutes'], '--checkpoint-minutes', 0, 10_080, DEFAULT_CHECKPOINT_POLICY.intervalMs / 60_000) * 60_000,
  };
  const heavyRunning = integer(values['heavy-reads'], '--heavy-reads', 0, 1000, DEFAULT_HEAVY_READ_LIMITS.running);
  const heavyReads = { running: heavyRunning, queued: heavyRunning === 0 ? 0 : DEFAULT_HEAVY_READ_LIMITS.queued };
  const keyDir = keyDirOption(values['key-dir']);
  const trustProxy = trustProxyOption(values['trust-proxy']);
  const smtp = await smtpOption(values);
  const allowLoopbackRobots = values['allow-loopback-robots'] === true;
  const circularPrefix = values['circular-prefix'];
  if (circularPrefix !== undefined && !isCircularPrefix(circularPrefix)) throw new UsageError(`--circular-prefix must be 1 to 20 characters without spaces or 〔〕, e.g. 克改办通; got ${JSON.stringify(circularPrefix)}`);
  const clock = values.clock === undefined ? systemClock : new SimulatedClock(instant(values.clock, '--clock').toISOString());
  const logger = envLogger();
  const sso = await ssoOption(values);
  const planFile = values.plan;
  // Read once the database is open, with its unit registry (the one the import resolves names with).
  const plan = planFile === undefined ? undefined : (units: UnitRegistry) => loadPlanFile(planFile, { units });
  const server = await runServer({
    db,
    port,
    host,
    clock,
    logger,
    rateLimit,
    timerIntervalMs,
    checkpoints,
    heavyReads,
    ...(keyDir === undefined ? {} : { keyDir }),
    ...(plan === undefined ? {} : { plan }),
    ...(values.units === undefined ? {} : { unitsFile: values.units }),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(sso === undefined ? {} : { sso }),
    ...(smtp === undefined ? {} : { smtp }),
    allowLoopbackRobots,
    ...(circularPrefix === undefined ? {} : { circularPrefix }),
  });
  const where = isPostgresUrl(db) ? 'PostgreSQL' : db;
  io.err(`duban: serving ${where} at ${server.url}${server.imported === undefined ? '' : ` (plan ${planFile === undefined ? '' : planIdOf(basename(planFile))}: ${server.imported.created.length} tasks created, ${server.imported.existing.length} already there)`}`);
  for (const skipped of server.imported?.skipped ?? []) io.err(`duban: ${skipped.reason} / task ${skipped.number} has no lead unit and was not imported`);
  if (trustProxy !== undefined) io.err(`duban: ${trustedProxies(trustProxy)}`);
  if (sso !== undefined) io.err(`duban: single sign-on through ${sso.issuer.href} (client ${sso.clientId}, login name from the claim ${sso.claim}); people are sent back to ${sso.redirectUri?.href ?? `${server.url}/login/sso/callback as they reach this server`}`);
  io.err(smtp === undefined ? 'duban: no --smtp-host: e-mail notices wait in the outbox' : `duban: notices are mailed through ${smtp.host}:${smtp.port}${smtp.startTls ? ' (STARTTLS required)' : ''} from ${smtp.from}`);
  if (allowLoopbackRobots) io.err('duban: warning: --allow-loopback-robots lets group-robot URLs point at this machine over http; for tests and development only');
  io.err(`duban: audit checkpoints are signed by key ${server.checkpoints.signer.keyName}; reviewers keep its public key (duban audit pubkey --db …)`);
  return serveUntilSignal(server, io);
}
