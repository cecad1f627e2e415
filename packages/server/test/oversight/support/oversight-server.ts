import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry, CommitHook, Engine } from '@duban/engine';
import { karamayUnits } from '@duban/plan';
import { instancesFromPlan } from '@duban/reform-task';
import type { PlanTaskLike } from '@duban/reform-task';
import { expect } from 'vitest';
import { freshDatabase } from '../../../../engine/test/support/test-database.ts';
import { createApp } from '../../../src/app/create-app.ts';
import { createLogger } from '../../../src/app/create-logger.ts';
import { IMPORTER } from '../../../src/plans/import-plan.ts';
import type { NotificationDatabase } from '../../../src/notifications/notification-tables.ts';
import { openDuban } from '../../../src/app/open-duban.ts';
import type { Duban } from '../../../src/app/open-duban.ts';
import { unlimited } from '../../../src/rate-limit/rate-limiter.ts';
import type { Role } from '../../../src/auth/role.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import type { Kysely } from 'kysely';

export const PLAN_ID = 'oversight-2023';
export const id = (n: number): string => `${PLAN_ID}.${String(n).padStart(3, '0')}`;
export const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];

function task(number: number, part: string, measure: string, text: string, lead: string[], responsible: string[], deadline: [string, string]): PlanTaskLike {
  return { number, part, measure, text, leadUnits: lead, responsibleUnits: responsible, deadline: { text: deadline[0], date: deadline[1], ongoing: false } };
}

/** A small plan of four tasks with Karamay's units; 各区人民政府 resolves to the four districts. */
export const plan = {
  tasks: [
    task(1, '一、持续深化简政放权', '（一）构建公平规范的市场规则。', '推动市场准入负面清单事项全部实现网上办理。', ['市发改委'], ['各区人民政府', '市级各有关部门'], ['2023年6月底前', '2023-06-30']),
    task(2, '一、持续深化简政放权', '（二）深入推进行政审批制度改革。', '全面推行告知承诺制。', ['市市场监管局'], ['市司法局'], ['2023年6月底前', '2023-06-30']),
    task(3, '二、不断创新监管机制', '（七）推进公正监管。', '全面推行“双随机、一公开”监管。', ['市司法局'], ['各区人民政府'], ['2023年7月底前', '2023-07-31']),
    task(4, '三、持续优化政务服务', '（十二）提升政务服务效能。', '推进“一件事一次办”。', ['市人社局'], ['市财政局'], ['2023年12月底前', '2023-12-31']),
  ],
};

export interface OversightServer {
  readonly url: string;
  readonly duban: Duban;
  readonly engine: Engine;
  readonly clock: ManualClock;
  /** The server's tables, to count what the hook wrote. */
  readonly db: Kysely<NotificationDatabase>;
  token(role: Role, unit?: string): Promise<string>;
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Sets the clock to `at` (Asia/Shanghai wall time, e.g. `2023-06-01 10:00`) and POSTs the event; returns the response. */
  send(at: string, token: string, n: number, body: Record<string, unknown>): Promise<Response>;
  /** Sets the clock to `at` and fires the due timers; returns `TYPE n` of each entry written. */
  fire(at: string): Promise<string[]>;
  close(): Promise<void>;
}

/** `2023-06-01 10:00` (or `10:00:35`) in Asia/Shanghai as an ISO instant. */
export const shanghai = (wall: string): string => new Date(`${wall.replace(' ', 'T')}${wall.length === 16 ? ':00' : ''}+08:00`).toISOString();

/**
 * Given a fresh database opened the way the server opens it (openDuban, so with the notification
 * hook), the four tasks imported on 2023-05-10 09:00, and the app on a free loopback port with a
 * manual clock. `onCommit` runs after the notification hook, in the same transaction.
 */
export async function startOversightServer(options: { onCommit?: CommitHook; db?: string } = {}): Promise<OversightServer> {
  const duban = await openDuban(options.db ?? (await freshDatabase()), { create: true, ...(options.onCommit === undefined ? {} : { onCommit: options.onCommit }) });
  const { engine, tokens } = duban;
  const clock = new ManualClock(shanghai('2023-05-10 09:00'));
  await engine.create(instancesFromPlan(plan, karamayUnits, { planId: PLAN_ID }), IMPORTER, clock.now());
  const app = createApp({ engine, clock, logger: createLogger({ level: 'silent' }), tokens, rateLimit: unlimited, units: karamayUnits });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, headers, ...rest } = init;
    return fetch(`${url}${path}`, { ...rest, headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...(headers as Record<string, string> | undefined) } });
  };
  return {
    url,
    duban,
    engine,
    clock,
    db: engine.store.kysely as Kysely<NotificationDatabase>,
    token: async (role, unit) => (await tokens.create({ role, unit: unit ?? null }, clock.now())).token,
    request,
    send: async (at, token, n, body) => {
      clock.set(shanghai(at));
      return request(`/api/tasks/${id(n)}/events`, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    },
    fire: async (at) => {
      clock.set(shanghai(at));
      const { fired } = await engine.fireDue(clock.now());
      return fired.map((entry: AuditEntry) => `${entry.type} ${Number(entry.instanceId.slice(-3))}`);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await duban.close();
    },
  };
}

/** Sends an event that must be accepted. */
export async function accepted(response: Promise<Response>): Promise<void> {
  const res = await response;
  expect(res.status, await res.clone().text()).toBe(200);
}
