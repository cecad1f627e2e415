import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { elementById, labelsAndControls, textOf, WebClient } from './support/web-client.ts';

/** Task 7: led by 市水务局 alone, supported by the district governments, due 2023-05-31. */
const OWN = taskId(7);
/** Task 8: 市林草局 and 市自然资源局 lead; 市水务局 is no party to it. */
const OTHERS = taskId(8);

describe('the task page', () => {
  let server: TestServer;
  let unit: WebClient;
  let office: WebClient;

  beforeEach(async () => {
    server = await startTestServer();
    unit = new WebClient(server.url);
    office = new WebClient(server.url);
    await unit.signIn(await server.token('unit', '市水务局'));
    await office.signIn(await server.token('office'));
  });
  afterEach(() => server.close());

  const historyTypes = async (id: string) => (await server.engine.history(id)).map((e) => e.type);

  it('when the lead unit opens its assigned task, then the page shows the full task, its timeline and forms for exactly the events it may send now, every field labelled', async () => {
    // When the lead unit opens its assigned task
    const page = await unit.get(`/tasks/${OWN}`);

    // Then it reads the whole task in Chinese
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('第7项任务');
    expect(text).toContain('优化水利工程项目招标投标程序');
    expect(text).toContain('牵头单位 市水务局');
    expect(text).toContain('责任单位 各区人民政府');
    expect(text).toContain('2023年5月底前');
    expect(text).toContain('任务交办 系统管理员 2023-05-10 09:00');

    // And the forms are those allowedEvents gives the unit now: START and REQUEST_EXTENSION
    const forms = [...page.body.matchAll(/<details class="event-form" id="form-([A-Z_]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual((await server.request(`/api/tasks/${OWN}`, { token: await server.token('unit', '市水务局') }).then((r) => r.json())).allowedEvents);
    expect(forms).toEqual(['START', 'REQUEST_EXTENSION', 'COMMENT']);
    expect(elementById(page.body, 'form-REQUEST_EXTENSION')).toContain('申请延期至');

    // And every visible field has its label
    const { labelled, controls } = labelsAndControls(page.body);
    expect(controls.length).toBeGreaterThan(2);
    for (const id of controls) expect(labelled, `no <label for="${id}">`).toContain(id);

    // And the diagram highlights the current state
    expect(page.body).toMatch(/<g class="state current">[^]*?<text[^>]*>已交办<\/text>/);
  });

  it('given the server clock at 10:30, when the unit submits START with a note, then the event goes through the engine as the API\'s would, as the unit, at the server clock, and the page redirects (303)', async () => {
    // Given the clock at 10:30 Shanghai time, an hour and a half after sign-in
    server.clock.set('2023-05-10T10:30:00+08:00');
    await unit.get(`/tasks/${OWN}`);

    // When the unit submits START with a note
    const answer = await unit.post(`/tasks/${OWN}/events/START`, { _version: '1', note: '已签收' });

    // Then the task moved, recorded with the unit as actor at the server's time
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/tasks/${OWN}?done=START`);
    const [, started] = await server.engine.history(OWN);
    expect(started).toMatchObject({ type: 'START', actor: { role: 'unit', unit: '市水务局' }, at: '2023-05-10T02:30:00.000Z', payload: { note: '已签收' }, from: 'assigned', to: 'in_progress' });

    // And the page after the redirect says so, shows it in the timeline, and offers the next events
    const after = await unit.get(answer.location!);
    const text = textOf(after.body);
    expect(text).toContain('已提交“签收启动”，办理记录已更新。');
    expect(text).toContain('签收启动 市水务局 2023-05-10 10:30');
    expect(text).toContain('已交办 → 推进中');
    expect(after.body).toContain('id="form-REPORT"');
  });

  it('when the unit submits REPORT with evidence rows, one of them empty, then the filled rows are sent and the empty one skipped', async () => {
    await unit.get(`/tasks/${OWN}`);
    await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' });
    await unit.get(`/tasks/${OWN}`);
    const answer = await unit.post(`/tasks/${OWN}/events/REPORT`, {
      _version: '2',
      summary: '已完成',
      'evidence.0.title': '通知',
      'evidence.0.ref': '克水发〔2023〕12号',
      'evidence.1.title': '',
      'evidence.1.ref': '',
      'evidence.2.title': '签到表',
    });
    expect(answer.status).toBe(303);
    const entries = await server.engine.history(OWN);
    expect(entries.at(-1)?.payload).toEqual({ summary: '已完成', evidence: [{ title: '通知', ref: '克水发〔2023〕12号' }, { title: '签到表' }] });
  });

  it('given a task in progress, when the unit reports with a blank summary and an untitled evidence row, then the page comes back 422 with the errors next to the fields, keeps what was typed, and writes nothing', async () => {
    // Given a task in progress
    await unit.get(`/tasks/${OWN}`);
    await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' });
    const before = await server.auditCount();
    await unit.get(`/tasks/${OWN}`);

    // When the unit reports with a blank summary and an evidence row with a link but no title
    const page = await unit.post(`/tasks/${OWN}/events/REPORT`, { _version: '2', summary: '  ', 'evidence.0.title': '', 'evidence.0.ref': 'http://docs.example/1', 'evidence.1.title': '培训签到表' });

    // Then the page comes back 422 with each error beside its field, in Chinese
    expect(page.status).toBe(422);
    expect(await server.auditCount()).toBe(before);
    const form = elementById(page.body, 'form-REPORT')!;
    expect(form).toMatch(/<details class="event-form" id="form-REPORT" open>/);
    expect(textOf(page.body)).toContain('“报送办结”未提交：请按提示修改后重新提交。');
    expect(elementById(page.body, 'f-REPORT-summary-error')).toContain('不能为空');
    expect(elementById(page.body, 'f-REPORT-evidence-0-title-error')).toContain('不能为空');
    expect(page.body).toMatch(/id="f-REPORT-summary"[^>]*aria-invalid="true"[^>]*aria-describedby="f-REPORT-summary-error"|id="f-REPORT-summary"[^>]*aria-describedby="f-REPORT-summary-error"/);

    // And what was typed is still there
    expect(page.body).toMatch(/id="f-REPORT-evidence-0-ref" name="evidence.0.ref" value="http:\/\/docs.example\/1"/);
    expect(page.body).toMatch(/id="f-REPORT-evidence-1-title" name="evidence.1.title" value="培训签到表"/);
  });

  it('given a task escalated to an interview, when the record has a rectification date too early and no attendees, then each error names its field and the item of the list', async () => {
    // Given a task the office has escalated to an interview
    await office.get(`/tasks/${OWN}`);
    await office.post(`/tasks/${OWN}/events/ESCALATE`, { _version: '1', reason: '进展缓慢' });
    await office.get(`/tasks/${OWN}`);

    // When the interview record has a rectification date before the interview and no attendees
    const page = await office.post(`/tasks/${OWN}/events/RECORD_INTERVIEW`, { _version: '2', heldOn: '2023-05-20', attendees: '\n', findings: '已约谈', rectifyBy: '2023-05-19' });

    // Then each error sits by its field
    expect(page.status).toBe(422);
    expect(elementById(page.body, 'f-RECORD_INTERVIEW-attendees-error')).toContain('至少填写一项');
    expect(elementById(page.body, 'f-RECORD_INTERVIEW-rectifyBy-error')).toContain('整改期限须晚于约谈日期');
    expect(page.body).toMatch(/id="f-RECORD_INTERVIEW-findings"[^>]*>已约谈<\/textarea>/);
  });

  it('given the office cancelled the task meanwhile, when the unit submits START, then a 409 banner says the state has moved on, and nothing is written', async () => {
    // Given the unit's page still offering START, while the office cancels the task meanwhile
    await unit.get(`/tasks/${OWN}`);
    await office.get(`/tasks/${OWN}`);
    await office.post(`/tasks/${OWN}/events/CANCEL`, { _version: '1', reason: '任务调整' });
    const before = await server.auditCount();

    // When the unit submits START on the current version
    const page = await unit.post(`/tasks/${OWN}/events/START`, { _version: '2' });

    // Then it is told the state forbids it, and the task is unchanged
    expect(page.status).toBe(409);
    expect(textOf(elementById(page.body, 'main')!)).toContain('当前状态不允许此操作：任务当前为“已撤销”，不能签收启动。');
    expect(page.body).toContain('role="alert"');
    expect(await server.auditCount()).toBe(before);
  });

  it('given the unit started the task meanwhile, when the office urges from its stale page, then 412: nothing is written and its message stays in the form, now at the new version', async () => {
    // Given the office's page at version 1, while the unit starts the task
    await office.get(`/tasks/${OWN}`);
    await unit.get(`/tasks/${OWN}`);
    await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' });
    const before = await server.auditCount();

    // When the office urges from its stale page
    const page = await office.post(`/tasks/${OWN}/events/URGE`, { _version: '1', message: '请加快进度' });

    // Then nothing is written, it is told why, and its message is still in the form, now at version 2
    expect(page.status).toBe(412);
    expect(await server.auditCount()).toBe(before);
    expect(textOf(page.body)).toContain('任务已被他人更新，请刷新后重试。页面已显示最新情况，您填写的内容已保留。');
    const form = elementById(page.body, 'form-URGE')!;
    expect(form).toContain('>请加快进度</textarea>');
    expect(form).toContain('name="_version" value="2"');
  });

  it('when a unit sends an office event, then a 403 banner says it may not', async () => {
    await unit.get(`/tasks/${OWN}`);
    const page = await unit.post(`/tasks/${OWN}/events/URGE`, { _version: '1', message: '自己督办自己' });
    expect(page.status).toBe(403);
    expect(textOf(page.body)).toContain('无权执行此操作');
    expect(await historyTypes(OWN)).toEqual(['CREATE']);
  });

  it('when a reviewer opens a task, then it sees no form, and when it posts, then it is refused', async () => {
    const reviewer = new WebClient(server.url);
    await reviewer.signIn(await server.token('reviewer'));
    const page = await reviewer.get(`/tasks/${OWN}`);
    expect(page.body).not.toContain('class="event-form"');
    expect(textOf(page.body)).toContain('审查人员为只读身份');
    const refused = await reviewer.post(`/tasks/${OWN}/events/URGE`, { _version: '1', message: '督办' });
    expect(refused.status).toBe(403);
    expect(await historyTypes(OWN)).toEqual(['CREATE']);
  });

  it('when a post comes from another origin or without the session\'s form token, then it is refused and nothing is written', async () => {
    await office.get('/dashboard');
    await unit.get(`/tasks/${OWN}`);
    expect((await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { origin: 'null' })).status).toBe(403);
    expect((await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { csrf: null })).status).toBe(403);
    expect((await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { csrf: office.csrf()! })).status).toBe(403);
    const noOrigin = await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(textOf(noOrigin.body)).toContain('请求来源无效');
    expect(await historyTypes(OWN)).toEqual(['CREATE']);
  });

  it('when a post has no Origin but a Referer from this server, as older browsers send, then it is accepted', async () => {
    await unit.get(`/tasks/${OWN}`);
    const answer = await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { origin: null, headers: { Referer: `${server.url}/tasks/${OWN}` } });
    expect(answer.status).toBe(303);
  });

  it('when a post\'s Origin is its own host over HTTPS, as seen behind a TLS-terminating proxy, then it is accepted', async () => {
    await unit.get(`/tasks/${OWN}`);
    const answer = await unit.post(`/tasks/${OWN}/events/START`, { _version: '1' }, { origin: server.url.replace('http:', 'https:') });
    expect(answer.status).toBe(303);
  });

  it('when a unit opens another unit\'s task, then it gets the same Chinese 404 page as for a task that does not exist', async () => {
    const other = await unit.get(`/tasks/${OTHERS}`);
    const missing = await unit.get(`/tasks/${taskId(999)}`);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body).toBe(missing.body);
    expect(other.headers.get('content-type')).toMatch(/^text\/html/);
    expect(textOf(other.body)).toContain('页面不存在');
    expect(textOf(other.body)).toContain('找不到该页面或任务，或您无权查看');
    expect(other.body).not.toContain(OTHERS);
    // and a post to it is the same 404, writing nothing
    const post = await unit.post(`/tasks/${OTHERS}/events/START`, { _version: '1' });
    expect(post.status).toBe(404);
    expect(await historyTypes(OTHERS)).toEqual(['CREATE']);
  });
});
