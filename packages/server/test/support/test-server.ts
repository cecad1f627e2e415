import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine, openStore } from '@duban/engine';
import { karamayUnits } from '@duban/plan';
import { reformTaskV1 } from '@duban/reform-task';
import type { AppDeps } from '../../src/app/app-deps.ts';
import { createApp } from '../../src/app/create-app.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { DbRateLimiter } from '../../src/rate-limit/db-rate-limiter.ts';
import { FixedWindowRateLimiter } from '../../src/rate-limit/fixed-window-rate-limiter.ts';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { unlimited } from '../../src/rate-limit/rate-limiter.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { Role } from '../../src/auth/role.ts';
import { TokenStore } from '../../src/auth/token-store.ts';
import { freshDatabase, onPostgres } from '../../../engine/test/support/test-database.ts';
import { ManualClock } from './manual-clock.ts';

export { onPostgres, reopenableDatabase } from '../../../engine/test/support/test-database.ts';

export const PLAN_ID = 'karamay-2023-fangguanfu';
export const taskId = (n: number) => `${PLAN_ID}.${String(n).padStart(3, '0')}`;

export interface TestServer {
  readonly url: string;
  readonly engine: Engine;
  readonly tokens: TokenStore;
  readonly clock: ManualClock;
  /** A fresh token for a role (and unit). */
  token(role: Role, unit?: string): Promise<string>;
  /** fetch against the server with an optional bearer token. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** POST an event as JSON. */
  send(token: string, id: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  auditCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Given an in-memory database (a fresh schema of its own under DUBAN_TEST_DB=postgres, where the rate
 * limiter is the database's, as in `serve`) with the Karamay plan imported on 2023-05-10 and an app on a free
 * loopback port, with a clock the test moves by hand.
 */
export async function startTestServer(
  options: { rateLimit?: number; db?: string; logLines?: string[]; auditKey?: AppDeps['auditKey']; trustProxy?: AppDeps['trustProxy'] } = {},
): Promise<TestServer> {
  const store = await openStore(options.db ?? (await freshDatabase()));
  const engine = new Engine(store, [reformTaskV1]);
  const tokens = await TokenStore.open(store);
  const clock = new ManualClock('2023-05-10T09:00:00+08:00');
  const { plan, planId } = await loadPlanFile(repoPaths.karamayPlan);
  await importPlan(engine, plan, planId, clock.now());
  const app = createApp({
    engine,
    clock,
    logger:
      options.logLines === undefined
        ? createLogger({ level: 'silent' })
        : createLogger({ level: 'info', destination: { write: (line: string) => void options.logLines?.push(line) } }),
    tokens,
    rateLimit: options.rateLimit === undefined ? unlimited : onPostgres ? new DbRateLimiter(store.kysely, options.rateLimit) : new FixedWindowRateLimiter(options.rateLimit),
    units: karamayUnits,
    ...(options.auditKey === undefined ? {} : { auditKey: options.auditKey }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
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
    engine,
    tokens,
    clock,
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
      await engine.close();
    },
  };
}

/** The JSON body of a problem response, after checking it is one. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected application/problem+json, got ${type} (${response.status})`);
  return (await response.json()) as Record<string, unknown>;
}
