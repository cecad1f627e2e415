import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { elementById, textOf, WebClient } from './support/web-client.ts';

/** Task 7: led by 市水务局 alone, due 2023-05-31. */
const OWN = taskId(7);

describe('the task page as a civil servant reads it', () => {
  let server: TestServer;
  let unit: WebClient;
  let office: WebClient;
  let water: string;
  let officeToken: string;

  beforeEach(async () => {
    server = await startTestServer();
    unit = new WebClient(server.url);
    office = new WebClient(server.url);
    water = await server.token('unit', '市水务局');
    officeToken = await server.token('office');
    await unit.signIn(water);
    await office.signIn(officeToken);
  });
  afterEach(() => server.close());

  const send = async (token: string, body: Record<string, unknown>) => {
    const response = await server.send(token, OWN, body);
    if (response.status !== 200) throw new Error(`${String(body['type'])}: ${response.status} ${await response.text()}`);
  };

  it('when a task page is opened, then it says 任务编号 7, no log numbers or versions in words, and the diagram is folded away below the history', async () => {
    const page = await unit.get(`/tasks/${OWN}`);
    const text = textOf(page.body);
    expect(text).toContain('任务编号 7');
    expect(text).not.toContain(OWN);
    expect(text).not.toMatch(/版本 \d|日志序号/);
    expect(page.body).toContain('name="_version" value="1"');
    expect(page.body).toMatch(/<details class="diagram-details" id="diagram"><summary>/);
    expect(page.body.indexOf('id="timeline-h"')).toBeLessThan(page.body.indexOf('id="diagram"'));
    expect(page.body.indexOf('id="diagram"')).toBeLessThan(page.body.indexOf('class="state-diagram'));
  });

  it('given a report with a web link, a javascript: reference and a file number, then only the http(s) address is a link, with rel="noopener noreferrer"', async () => {
    await send(water, { type: 'START' });
    await send(water, { type: 'REPORT', summary: '已完成', evidence: [{ title: '通知', ref: 'https://docs.example/1?a=1&b=2' }, { title: '脚本', ref: 'javascript:alert(1)' }, { title: '文件', ref: '克水发〔2023〕12号' }] });
    const page = await office.get(`/tasks/${OWN}`);
    const links = [...page.body.matchAll(/<a href="([^"]+)" rel="noopener noreferrer">/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set(['https://docs.example/1?a=1&amp;b=2']));
    expect(page.body).not.toContain('href="javascript:');
    expect(textOf(page.body)).toContain('脚本（javascript:alert(1)）');
  });

  it('given the unit reported, when it opens the task, then it reads that the report waits for verification', async () => {
    await send(water, { type: 'START' });
    await send(water, { type: 'REPORT', summary: '已完成', evidence: [{ title: '通知' }] });
    const page = await unit.get(`/tasks/${OWN}`);
    expect(textOf(elementById(page.body, 'main')!)).toContain('已报送办结，等待办公室核验');
  });

  it('given the office verified with an opinion and closed with a commendation, when the task is opened, then the summary shows the opinion and the commendation', async () => {
    await send(water, { type: 'START' });
    await send(water, { type: 'REPORT', summary: '已完成', evidence: [{ title: '通知' }] });
    await send(officeToken, { type: 'VERIFY', opinion: '材料齐全，同意' });
    await send(officeToken, { type: 'CLOSE', note: '按期办结', commend: true });
    const facts = textOf((await unit.get(`/tasks/${OWN}`)).body.split('id="actions-h"')[0]!);
    expect(facts).toContain('核验意见');
    expect(facts).toContain('材料齐全，同意');
    expect(facts).toMatch(/销号 .*按期办结 予以表扬/);
  });

  it('given a rejected report, when the unit opens the task, then the 报送办结 form is filled with what it reported last time', async () => {
    await send(water, { type: 'START' });
    await send(water, { type: 'REPORT', summary: '已修订招标程序', evidence: [{ title: '通知', ref: '克水发〔2023〕12号' }, { title: '签到表' }] });
    await send(officeToken, { type: 'REJECT', reason: '缺少印发文件' });
    const form = elementById((await unit.get(`/tasks/${OWN}`)).body, 'form-REPORT')!;
    expect(form).toMatch(/<details class="event-form" id="form-REPORT">/);
    expect(form).toContain('>已修订招标程序</textarea>');
    expect(form).toMatch(/name="evidence.0.ref" value="克水发〔2023〕12号"/);
    expect(form).toMatch(/name="evidence.1.title" value="签到表"/);
  });

  it('given the task overdue, when the lead unit opens it, then it is offered 申请延期 and the request goes through', async () => {
    await send(water, { type: 'START' });
    server.clock.set('2023-06-02T09:00:00+08:00');
    await server.engine.fireDue(server.clock.now());
    // the session of 2023-05-10 has long expired
    await unit.signIn(water);
    const page = await unit.get(`/tasks/${OWN}`);
    expect(textOf(page.body)).toContain('已逾期');
    expect(page.body).toContain('id="form-REQUEST_EXTENSION"');
    const version = /name="_version" value="(\d+)"/.exec(page.body)![1]!;
    const answer = await unit.post(`/tasks/${OWN}/events/REQUEST_EXTENSION`, { _version: version, until: '2023-06-30', reason: '需自治区审批' });
    expect(answer.status).toBe(303);
    expect((await server.engine.history(OWN)).at(-1)).toMatchObject({ type: 'REQUEST_EXTENSION', payload: { until: '2023-06-30' } });
  });

  it('when the office opens the REASSIGN form, then it chooses lead units from the registry\'s names, the current lead chosen, and no collective offered', async () => {
    const form = elementById((await office.get(`/tasks/${OWN}`)).body, 'form-REASSIGN')!;
    expect(form).toMatch(/<select id="f-REASSIGN-leadUnits" name="leadUnits" multiple/);
    expect(form).toContain('<option value="市水务局" selected>市水务局</option>');
    expect(form).toContain('<option value="市发改委">市发改委</option>');
    expect(form).not.toContain('value="各区人民政府"');
    expect(form).not.toContain('<textarea id="f-REASSIGN-leadUnits"');
    const version = /name="_version" value="(\d+)"/.exec(office.last!.body)![1]!;
    const answer = await office.post(`/tasks/${OWN}/events/REASSIGN`, { _version: version, leadUnits: ['市发改委', '市水务局'] });
    expect(answer.status).toBe(303);
    expect((await server.engine.history(OWN)).at(-1)?.payload).toEqual({ leadUnits: ['市发改委', '市水务局'] });
  });
});
