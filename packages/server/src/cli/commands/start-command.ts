import { systemClock } from '../../time/clock.ts';
import { planClock } from '../../time/plan-clock.ts';
import { loadPlanFile } from '../../plans/load-plan-file.ts';
import { repoPaths } from '../../app/repo-paths.ts';
import { runServer } from '../../app/run-server.ts';
import { ensureStarterTokens } from '../starter-tokens.ts';
import { ensureFirstAdmin } from '../../accounts/first-admin.ts';
import { integer, parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { envLogger } from '../env-logger.ts';
import { DEFAULT_RATE_LIMIT } from './serve-command.ts';
import { serveUntilSignal } from '../serve-until-signal.ts';
import { trustedProxies, trustProxyOption } from '../trust-proxy-option.ts';

/**
 * `start [--trust-proxy VALUE]` (what `pnpm start` runs): data/duban.db with the sample plan on
 * 127.0.0.1:3000 (PORT overrides), tokens for admin, office, reviewer and every lead unit in
 * data/secrets/tokens.json.
 */
export async function startCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { 'trust-proxy': { type: 'string' } }, { min: 0, max: 0, names: '' });
  const port = integer(process.env['PORT'], 'PORT', 0, 65535, 3000);
  const trustProxy = trustProxyOption(values['trust-proxy']);
  const logger = envLogger();
  const plan = await loadPlanFile(repoPaths.samplePlan);
  // The plan's calendar by default (its deadlines are in 2023); DUBAN_REAL_CLOCK=1 runs on today's.
  const realClock = process.env['DUBAN_REAL_CLOCK'] === '1';
  const issuedOn = plan.plan.issuedOn ?? '2023-05-10';
  const { clock, planTime } = realClock ? { clock: systemClock, planTime: systemClock.now() } : planClock(repoPaths.startClock, `${issuedOn}T09:00:00+08:00`, systemClock.now());
  const server = await runServer({ db: repoPaths.startDb, port, host: '127.0.0.1', clock, logger, rateLimit: DEFAULT_RATE_LIMIT, plan, ...(trustProxy === undefined ? {} : { trustProxy }) });
  const leadUnits = plan.plan.tasks.flatMap((task) => task.leadUnits);
  const { tokens, reused } = await ensureStarterTokens(repoPaths.startTokens, server.tokens, leadUnits, server.url, clock.now());
  const firstAdmin = await ensureFirstAdmin(server.accounts, clock.now());
  io.err(
    [
      `duban 督办 is running at ${server.url}`,
      `  database: ${repoPaths.startDb} (${plan.plan.tasks.length} tasks of ${plan.planId})`,
      realClock
        ? `  clock:    today's (DUBAN_REAL_CLOCK=1)`
        : `  clock:    the plan's calendar, now ${planTime.toISOString()} (runs in real time from ${issuedOn}; DUBAN_REAL_CLOCK=1 for today's)`,
      ...(trustProxy === undefined ? [] : [`  proxies:  ${trustedProxies(trustProxy)}`]),
      `  tokens:   ${repoPaths.startTokens} (${tokens.tokens.length} tokens, ${reused ? 'reused' : 'newly issued'}; keep it secret)`,
      firstAdmin === undefined
        ? `  sign in:  ${server.url}/login with your account (duban account reset LOGIN --db ${repoPaths.startDb} for a one-time code)`
        : `  sign in:  ${server.url}/login/code as "${firstAdmin.login}" with the one-time code ${firstAdmin.code} (shown once; until ${firstAdmin.expiresAt})`,
      `  try:      curl -H "Authorization: Bearer <office token>" ${server.url}/api/tasks?limit=5`,
      '  Ctrl-C stops it.',
    ].join('\n'),
  );
  return serveUntilSignal(server, io);
}
