import type { ReformTaskContext } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskFacts, reportTasks } from '../../src/reports/index.ts';
import { taskListCsv } from '../../src/web/workbench/task-list-csv.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

describe('the task list page: keywords, order, CSV and bulk 督办', () => {
  let s: TestServer;
  let office: WebClient;
  let holding: (word: string) => string[];
  const logLines: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({ logLines });
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
    const plan = (await s.engine.listInstances({ limit: 1000 })).map((record) => ({ id: record.id, task: record.snapshot.context as ReformTaskContext }));
    holding = (word) => plan.filter(({ task }) => [task.text, task.measure, task.part, ...task.leadUnits, ...task.responsibleUnits].some((f) => f.includes(word))).map(({ id }) => id);
  });
  afterAll(() => s.close());

  it('when the office searches a word, then the page lists exactly the tasks holding it, with their responsible units, and the CSV link downloads the same list', async () => {
    const expected = holding('不动产');
    const page = await office.get(`/tasks?q=${encodeURIComponent('不动产')}&sort=deadline&order=desc`);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain(`任务（${expected.length} 项）`);
    expect(page.body).toContain('<th scope="col">责任单位</th>');
    expect(page.body).toMatch(/value="不动产"/);
    const csvHref = /href="(\/tasks\.csv[^"]*)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    const csv = await office.get(csvHref);
    expect(csv.status, logLines.filter((line) => line.includes('"level":50')).join('\n')).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^\uFEFF?序号,所属部分,任务内容/);
    expect(lines).toHaveLength(expected.length + 1);
    const dates = lines.slice(1).map((line) => /,(\d{4}-\d{2}-\d{2}),/.exec(line)?.[1] ?? '');
    expect(dates.filter((d) => d !== '')).toEqual([...dates.filter((d) => d !== '')].sort().reverse());
  });

  it('when the keywords are 10,000 characters or the range is backwards, then the page says so in Chinese beside the field (422)', async () => {
    const long = await office.get(`/tasks?q=${'x'.repeat(10_000)}`);
    expect(long.status).toBe(422);
    expect(textOf(long.body)).toContain('关键词不能超过100个字');
    const backwards = await office.get('/tasks?dueFrom=2023-12-31&dueTo=2023-01-01');
    expect(backwards.status).toBe(422);
    expect(textOf(backwards.body)).toContain('结束日期不能早于开始日期');
  });

  it('given a task text a spreadsheet would run as a formula, when it is downloaded, then the cell starts with a quote', () => {
    const record = { id: 'x.001', workflowId: 'reform-task', version: 1, snapshot: { value: 'assigned', status: 'active', context: { ...plainContext(), text: '=HYPERLINK("http://evil","点我")' } } };
    const csv = taskListCsv(reportTasks([record as never]).map(taskFacts), Date.parse('2023-05-10T00:00:00Z'));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
  });

  it('when the office ticks tasks and urges them with one message, then each gets one URGE and the result page lists every outcome; the same form again adds nothing', async () => {
    const list = await office.get('/tasks');
    expect(list.body).toContain('name="ids"');
    const key = /name="_key" value="([^"]+)"/.exec(list.body)![1]!;
    const before = await s.auditCount();
    const form = { _key: key, ids: [taskId(1), taskId(2), 'karamay-2023-fangguanfu.999'], message: '请本周内报送进展' };
    const result = await office.post('/tasks/bulk-urge', form);
    expect(result.status).toBe(200);
    const text = textOf(result.body);
    expect(text).toContain('已督办 2 项任务，1 项未督办');
    expect(text).toContain('第 1 项 已督办');
    expect(text).toContain('任务不存在或无权查看');
    expect(await s.auditCount()).toBe(before + 2);
    const again = await office.post('/tasks/bulk-urge', form, { csrf: /name="_csrf" value="([^"]+)"/.exec(list.body)![1]! });
    expect(again.status).toBe(200);
    expect(await s.auditCount()).toBe(before + 2);
    const urged = (await s.engine.getInstance(taskId(2)))!.snapshot.context as ReformTaskContext;
    expect(urged.lastUrge?.message).toBe('请本周内报送进展');
  });

  it('when nothing is ticked or the message is empty, then nothing is urged and the page says what is missing; a unit has no checkboxes and may not post', async () => {
    await office.get('/tasks');
    const before = await s.auditCount();
    const empty = await office.post('/tasks/bulk-urge', { _key: 'k'.repeat(20), message: ' ' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.body)).toContain('请至少选择一项任务');
    expect(textOf(empty.body)).toContain('请填写督办意见');
    expect(await s.auditCount()).toBe(before);
    const unit = new WebClient(s.url);
    await unit.signIn(await s.token('unit', '市住建局'));
    const page = await unit.get('/tasks');
    expect(page.body).not.toContain('name="ids"');
    expect((await unit.post('/tasks/bulk-urge', { _key: 'k'.repeat(20), ids: taskId(5), message: '催' })).status).toBe(403);
    expect(await s.auditCount()).toBe(before);
  });
});

function plainContext(): Record<string, unknown> {
  return {
    planId: 'x', number: 1, part: '一', measure: '', text: '', leadUnits: ['市发改委'], responsibleUnits: [], collectives: {},
    deadline: { text: '', date: null, ongoing: false }, dueDate: null, deadlineAt: null, warned: false, overdue: false, rejections: 0,
    reportedAt: null, verifiedAt: null, pendingExtension: null,
  };
}
