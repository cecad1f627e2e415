import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { problemOf, startTestServer, taskId } from './support/test-server.ts';

// Task 2: lead 市政务服务和公共资源交易中心.
describe('REASSIGN names lead units through the unit registry', () => {
  let s: TestServer;
  let office: string;
  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(() => s.close());

  async function reassignRefused(leadUnits: string[]) {
    const before = await s.auditCount();
    const response = await s.send(office, taskId(2), { type: 'REASSIGN', leadUnits });
    expect(await s.auditCount()).toBe(before);
    expect(response.status).toBe(422);
    return (await problemOf(response))['errors'] as { path: string; message: string }[];
  }

  it('given a name the registry does not know, when the office reassigns, then 422 names the entry and the task keeps its lead', async () => {
    const errors = await reassignRefused(['市发改委', '市政务服务中心']);
    expect(errors).toEqual([{ path: 'leadUnits.1', message: expect.stringContaining('不在单位名录中') }]);
    const task = (await (await s.request(`/api/tasks/${taskId(2)}`, { token: office })).json()) as { leadUnits: string[] };
    expect(task.leadUnits).toEqual(['市政务服务和公共资源交易中心']);
  });

  it('given a collective (各区人民政府), when the office reassigns to it, then 422: nobody could sign for it', async () => {
    const errors = await reassignRefused(['各区人民政府']);
    expect(errors).toEqual([{ path: 'leadUnits.0', message: expect.stringContaining('独山子区人民政府') }]);
  });

  it('given an alias, when the office reassigns, then the task carries the canonical name and that unit may start it', async () => {
    const response = await s.send(office, taskId(2), { type: 'REASSIGN', leadUnits: ['市住房公积金中心', '市住房公积金管理中心'] });
    expect(response.status, await response.clone().text()).toBe(200);
    const { task } = (await response.json()) as { task: { leadUnits: string[]; version: number } };
    expect(task.leadUnits).toEqual(['市住房公积金管理中心']);
    const fund = await s.token('unit', '市住房公积金管理中心');
    expect((await s.send(fund, taskId(2), { type: 'START' })).status).toBe(200);
  });
});
