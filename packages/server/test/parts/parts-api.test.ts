import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';

// Task 3: lead 市发改委, responsible 各区人民政府 (four district governments, each with its own part).
const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];

interface PartView {
  unit: string;
  state: string;
  percent: number | null;
  progressReports: number;
  doneAt: number | null;
  doneSummary: string | null;
}
interface TaskAnswer {
  state: string;
  version: number;
  parts: PartView[];
  allowedEvents: string[];
}

describe('each unit’s own part of a shared task, over the API', () => {
  let s: TestServer;
  let office: string;
  let lead: string;
  let baijiantan: string;
  let dushanzi: string;
  let stranger: string;

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
    lead = await s.token('unit', '市发改委');
    baijiantan = await s.token('unit', '白碱滩区人民政府');
    dushanzi = await s.token('unit', '独山子区人民政府');
    stranger = await s.token('unit', '市卫健委');
  });
  afterAll(async () => s.close());

  const task = async (id: string, token = office) => (await (await s.request(`/api/tasks/${id}`, { token })).json()) as TaskAnswer;

  it('given a task nobody touched, when it is read, then each district government has a part, assigned, and the lead none', async () => {
    const { parts } = await task(taskId(3));
    expect(parts.map((part) => [part.unit, part.state, part.percent])).toEqual(DISTRICTS.map((unit) => [unit, 'assigned', null]));
  });

  it('given the lead has not signed, when a district acknowledges and reports its part, then its part moves and the task stays assigned', async () => {
    expect((await task(taskId(3), baijiantan)).allowedEvents).toEqual(expect.arrayContaining(['ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE']));
    expect((await s.send(baijiantan, taskId(3), { type: 'ACKNOWLEDGE_PART' })).status).toBe(200);
    s.clock.advance(60_000);
    const response = await s.send(baijiantan, taskId(3), { type: 'PART_PROGRESS', summary: '本区已梳理价格监管清单', percent: 40 });
    expect(response.status).toBe(200);
    const { task: after } = (await response.json()) as { task: TaskAnswer };
    expect(after.state).toBe('assigned');
    expect(after.parts.find((part) => part.unit === '白碱滩区人民政府')).toMatchObject({ state: 'reporting', percent: 40, progressReports: 1 });
    expect(after.parts.filter((part) => part.state === 'assigned').map((part) => part.unit)).toEqual(['独山子区人民政府', '克拉玛依区人民政府', '乌尔禾区人民政府']);
  });

  it('when a district finishes its part, then the lead unit (and only it) is told', async () => {
    const response = await s.send(dushanzi, taskId(3), { type: 'PART_DONE', summary: '独山子区已全部落实' });
    expect(response.status).toBe(200);
    const notices = await s.db.selectFrom('notification').select(['unit', 'title', 'body']).where('type', '=', 'PART_DONE').execute();
    expect(notices.map((n) => n.unit)).toEqual(['市发改委']);
    expect(notices[0]!.title).toContain('独山子区人民政府');
    expect(notices[0]!.body).toContain('独山子区已全部落实');
  });

  it('when the lead unit or the office reports a part, then 403 says only the part’s own unit may, and nothing is written', async () => {
    const entries = await s.auditCount();
    for (const token of [lead, office]) {
      const response = await s.send(token, taskId(3), { type: 'PART_PROGRESS', summary: '代区里报送' });
      expect(response.status).toBe(403);
      expect((await problemOf(response))['title']).toBe('只有承担该部分的单位可以签收、报送本单位的部分（牵头单位和其他单位不能代报）');
    }
    expect(await s.auditCount()).toBe(entries);
  });

  it('when a unit that is no party to the task reports a part, then 404 as for any task it may not see, and nothing is written', async () => {
    const entries = await s.auditCount();
    const response = await s.send(stranger, taskId(3), { type: 'PART_DONE', summary: '不是本单位的任务' });
    expect(response.status).toBe(404);
    await problemOf(response);
    expect(await s.auditCount()).toBe(entries);
  });

  it('when a done part is reported done again or acknowledged again, then 409 and nothing is written', async () => {
    const entries = await s.auditCount();
    expect((await s.send(dushanzi, taskId(3), { type: 'PART_DONE', summary: '再报一次' })).status).toBe(409);
    expect((await s.send(baijiantan, taskId(3), { type: 'ACKNOWLEDGE_PART' })).status).toBe(409);
    expect(await s.auditCount()).toBe(entries);
  });

  it('when the lead unit returns a done part, then it is reporting again and its unit is told; naming a part not done is 422 and nothing is written', async () => {
    const entries = await s.auditCount();
    const notDone = await s.send(lead, taskId(3), { type: 'RETURN_PART', unit: '克拉玛依区人民政府', reason: '请补充' });
    expect(notDone.status).toBe(422);
    expect(JSON.stringify(await problemOf(notDone))).toContain('尚未完成');
    expect(await s.auditCount()).toBe(entries);
    const response = await s.send(lead, taskId(3), { type: 'RETURN_PART', unit: '独山子区人民政府', reason: '佐证材料不足' });
    expect(response.status).toBe(200);
    const { task: after } = (await response.json()) as { task: TaskAnswer };
    expect(after.parts.find((part) => part.unit === '独山子区人民政府')).toMatchObject({ state: 'reporting', doneAt: null });
    const notices = await s.db.selectFrom('notification').select(['unit', 'body']).where('type', '=', 'RETURN_PART').execute();
    expect(notices.map((n) => n.unit)).toEqual(['独山子区人民政府']);
    expect(notices[0]!.body).toContain('佐证材料不足');
    // Reporting again, the district finishes its part once more.
    expect((await s.send(dushanzi, taskId(3), { type: 'PART_DONE', summary: '已补充材料' })).status).toBe(200);
  });

  it('given a closed task, when a district reports its part, then 409 and nothing is written', async () => {
    const water = await s.token('unit', '市水务局');
    for (const [token, body] of [
      [water, { type: 'START' }],
      [water, { type: 'REPORT', summary: '已完成', evidence: [{ title: '文件' }] }],
      [office, { type: 'VERIFY' }],
      [office, { type: 'CLOSE' }],
    ] as const) {
      expect((await s.send(token, taskId(7), body)).status, body.type).toBe(200);
    }
    const entries = await s.auditCount();
    const response = await s.send(baijiantan, taskId(7), { type: 'PART_PROGRESS', summary: '补报' });
    expect(response.status).toBe(409);
    expect((await problemOf(response))['title']).toBe('当前状态不允许此操作');
    expect(await s.auditCount()).toBe(entries);
  });

  it('given tasks with parts and tasks stored before parts (no `parts` in their context), when the log is replayed and verified, then replay equals every stored state and the chain holds', async () => {
    const reviewer = await s.token('reviewer');
    const replay = (await (await s.request('/api/replay', { token: reviewer })).json()) as { items: unknown[]; differences: unknown[] };
    expect(replay.items.length).toBeGreaterThan(2);
    expect(replay.differences).toEqual([]);
    const verified = (await (await s.request('/api/audit/verify', { token: reviewer })).json()) as { ok: boolean };
    expect(verified.ok).toBe(true);
    const untouched = await s.engine.getInstance(taskId(9));
    expect(untouched === undefined ? 'missing' : Object.hasOwn(untouched.snapshot.context as object, 'parts')).toBe(false);
  });
});
