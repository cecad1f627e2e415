import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommitHook, Engine } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { AuditKey } from '../../src/app/app-deps.ts';
import { appDeps } from '../../src/app/app-deps.ts';
import { createApp } from '../../src/app/create-app.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import type { UploadLimits } from '../../src/files/receive-files.ts';
import type { Duban } from '../../src/app/open-duban.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { Role } from '../../src/auth/role.ts';
import type { HeavyReadLimits } from '../../src/http/heavy-reads.ts';
import type { TokenStore } from '../../src/auth/token-store.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import type { SsoSettings } from '../../src/sso/sso-settings.ts';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';
import { ManualClock } from './manual-clock.ts';

export { onPostgres, reopenableDatabase } from '../../../engine/test/support/test-database.ts';

export const PLAN_ID = 'karamay-2023-fangguanfu';
export const taskId = (n: number) => `${PLAN_ID}.${String(n).padStart(3, '0')}`;

export interface TestServer {
  readonly url: string;
  /** The open database and everything built on it, as `serve` builds it. */
  readonly duban: Duban;
  readonly engine: Engine;
  readonly tokens: TokenStore;
  readonly clock: ManualClock;
  /** The server's tables, to count what the stores and the hook wrote. */
  readonly db: Kysely<ServerDatabase>;
  /** A fresh token for a role (and unit). */
  token(role: Role, unit?: string): Promise<string>;
  /** fetch against the server with an optional bearer token. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** POST an event as JSON. */
  send(token: string, id: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  auditCount(): Promise<number>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** How large an uploaded file and a submission may be; the server's defaults otherwise. */
  readonly uploadLimits?: UploadLimits;
  /** Requests per token per minute (the database's limiter on PostgreSQL, as in `serve`); none by default. */
  readonly rateLimit?: number;
  /** The database; a fresh one by default (a schema of its own under DUBAN_TEST_DB=postgres). */
  readonly db?: string;
  /** Collects the server's log lines (request log, access-log failures); silent by default. */
  readonly logLines?: string[];
  /** The key the audit routes verify checkpoints with; by default a fresh key no checkpoint was signed with (the test server signs none). */
  readonly auditKey?: AuditKey;
  readonly trustProxy?: number | string;
  /** Heavy reads at once and waiting (replays, verifications, past-day reports); openDuban's default otherwise. */
  readonly heavyReads?: HeavyReadLimits;
  /** Runs after the notification hook, in every transition's transaction. */
  readonly onCommit?: CommitHook;
  /** How long the server trusts its copy of the unit registry (ms); openDuban's default (1 s) otherwise. */
  readonly unitsMaxAgeMs?: number;
  /** The units file an empty registry is seeded from; data/units.json by default. */
  readonly unitsFile?: string;
  /** The largest plan file an import takes; openDuban's 20 MB otherwise. */
  readonly planMaxBytes?: number;
  /** Where the clock starts; 2023-05-10 09:00 in Asia/Shanghai by default. */
  readonly startAt?: string;
  /** What the database holds before the server listens; the Karamay plan imported at the clock's start by default. */
  readonly seed?: (duban: Duban, clock: ManualClock) => Promise<void>;
  /** An OpenID provider people may sign in through; none by default. */
  readonly sso?: SsoSettings;
}

/** The Karamay plan, imported at the clock's time. */
export const samplePlan = async (duban: Duban, clock: ManualClock): Promise<void> => {
  const { plan, planId } = await loadPlanFile(repoPaths.samplePlan);
  await importPlan(duban.engine, plan, planId, clock.now(), { units: duban.units });
};

/**
 * Given a database opened the way `serve` opens it (the composition root: every migration, the
 * engine with its notification hook, every store, the rate limiter for the database at hand), the
 * seed (by default the Karamay plan imported on 2023-05-10) and the app on a free loopback port,
 * with a clock the test moves by hand.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logger =
    options.logLines === undefined
      ? createLogger({ level: 'silent' })
      : createLogger({ level: 'info', destination: { write: (line: string) => void options.logLines?.push(line) } });
  const duban = await openDuban(options.db ?? (await freshDatabase()), {
    create: true,
    logger,
    // Robots in tests are receivers on loopback.
    allowLoopbackRobots: true,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.onCommit === undefined ? {} : { onCommit: options.onCommit }),
    ...(options.heavyReads === undefined ? {} : { heavyReads: options.heavyReads }),
    ...(options.unitsMaxAgeMs === undefined ? {} : { unitsMaxAgeMs: options.unitsMaxAgeMs }),
    ...(options.unitsFile === undefined ? {} : { unitsFile: options.unitsFile }),
    ...(options.planMaxBytes === undefined ? {} : { planMaxBytes: options.planMaxBytes }),
    ...(options.sso === undefined ? {} : { sso: options.sso }),
  });
  const { engine, tokens } = duban;
  const clock = new ManualClock(options.startAt ?? '2023-05-10T09:00:00+08:00');
  await (options.seed ?? samplePlan)(duban, clock);
  const auditKey = options.auditKey ?? { origin: 'duban-test', publicKey: generateKeyPairSync('ed25519').publicKey };
  const app = createApp(appDeps(duban, { clock, logger, auditKey, trustProxy: options.trustProxy, uploadLimits: options.uploadLimits }));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, headers, ...rest } = init;
    return fetch(`${url}${path}`, {
      ...rest,
      headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...(headers as Record<string, string> | undefined) },
    });
  };
  return {
    url,
    duban,
    engine,
    tokens,
    clock,
    db: engine.store.kysely as Kysely<ServerDatabase>,
    token: async (role, unit) => (await tokens.create({ role, unit: unit ?? null }, clock.now())).token,
    request,
    send: (token, id, body, headers = {}) =>
      request(`/api/tasks/${encodeURIComponent(id)}/events`, {
        method: 'POST',
        token,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    auditCount: async () => {
      let count = 0;
      for await (const _ of engine.entries()) count += 1;
      return count;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await duban.close();
    },
  };
}

/** The JSON body of a problem response, after checking it is one. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected application/problem+json, got ${type} (${response.status})`);
  return (await response.json()) as Record<string, unknown>;
}
