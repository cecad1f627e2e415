import type { AuditEntry, CommitHook } from '@duban/engine';
import { repositoryUnits } from '@duban/plan';
import { instancesFromPlan } from '@duban/reform-task';
import type { PlanTaskLike } from '@duban/reform-task';
import { expect } from 'vitest';
import { IMPORTER } from '../../../src/plans/import-plan.ts';
import { startTestServer } from '../../support/test-server.ts';
import type { TestServer } from '../../support/test-server.ts';

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

export interface OversightServer extends Omit<TestServer, 'send'> {
  /** Sets the clock to `at` (Asia/Shanghai wall time, e.g. `2023-06-01 10:00`) and POSTs the event; returns the response. */
  send(at: string, token: string, n: number, body: Record<string, unknown>): Promise<Response>;
  /** Sets the clock to `at` and fires the due timers; returns `TYPE n` of each entry written. */
  fire(at: string): Promise<string[]>;
}

/** `2023-06-01 10:00` (or `10:00:35`) in Asia/Shanghai as an ISO instant. */
export const shanghai = (wall: string): string => new Date(`${wall.replace(' ', 'T')}${wall.length === 16 ? ':00' : ''}+08:00`).toISOString();

/**
 * Given the one test server (the composition root, so with the notification hook) with the four
 * tasks imported on 2023-05-10 09:00 instead of the Karamay plan. `onCommit` runs after the
 * notification hook, in the same transaction.
 */
export async function startOversightServer(options: { onCommit?: CommitHook; db?: string } = {}): Promise<OversightServer> {
  const server = await startTestServer({
    ...options,
    startAt: shanghai('2023-05-10 09:00'),
    seed: async ({ engine }, clock) => void (await engine.create(instancesFromPlan(plan, repositoryUnits, { planId: PLAN_ID }), IMPORTER, clock.now())),
  });
  const { engine, clock, request } = server;
  return {
    ...server,
    send: async (at, token, n, body) => {
      clock.set(shanghai(at));
      return request(`/api/tasks/${id(n)}/events`, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    },
    fire: async (at) => {
      clock.set(shanghai(at));
      const { fired } = await engine.fireDue(clock.now());
      return fired.map((entry: AuditEntry) => `${entry.type} ${Number(entry.instanceId.slice(-3))}`);
    },
  };
}

/** Sends an event that must be accepted. */
export async function accepted(response: Promise<Response>): Promise<void> {
  const res = await response;
  expect(res.status, await res.clone().text()).toBe(200);
}
