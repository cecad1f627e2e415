import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CSP } from '../../src/web/security-headers.ts';
import { pdfBytes, pngBytes, storedZipEntries } from '../files/support.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import { WebClient, elementById, textOf } from './support/web-client.ts';

// Task 2: lead 市政务服务和公共资源交易中心; 市水务局 is no party to it.
const LEAD = '市政务服务和公共资源交易中心';
const STRANGER = '市水务局';
const TASK = taskId(2);
const PAGE = `/tasks/${encodeURIComponent(TASK)}`;

describe('the task page\'s files: uploaded from the forms, listed, previewed in place, downloaded, kept from other units', () => {
  let s: TestServer;
  let lead: WebClient;
  let office: WebClient;
  let stranger: WebClient;

  const version = async () => ((await (await s.request(`/api/tasks/${TASK}`, { token: await s.token('office') })).json()) as { version: number }).version;
  const stored = async () => ({
    chunks: Number((await s.db.selectFrom('file_chunk').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    uploads: Number((await s.db.selectFrom('file_upload').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    entries: await s.auditCount(),
  });
  const sha256Links = (body: string) => [...body.matchAll(/\/files\/([0-9a-f]{64})/g)].map((m) => m[1]!);

  beforeAll(async () => {
    s = await startTestServer();
    lead = new WebClient(s.url);
    await lead.signIn(await s.token('unit', LEAD));
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
    stranger = new WebClient(s.url);
    await stranger.signIn(await s.token('unit', STRANGER));
    await lead.get(PAGE);
    expect((await lead.post(`${PAGE}/events/START`, { _version: '1' })).status).toBe(303);
  });
  afterAll(() => s.close());

  it('given the lead unit\'s progress form with a PDF and a photo, when it is posted as multipart, then the entry keeps both and the page links, shows and frames them under its own CSP', async () => {
    const form = elementById((await lead.get(PAGE)).body, 'form-PROGRESS')!;
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toMatch(/<input type="file"[^>]*name="attachments"[^>]*multiple/);
    const answer = await lead.postFiles(`${PAGE}/events/PROGRESS`, { _version: String(await version()), summary: '方案已印发' }, [
      { name: '实施方案.pdf', bytes: pdfBytes('方案') },
      { name: '现场照片.png', bytes: pngBytes() },
    ]);
    expect(answer.status, textOf(answer.body)).toBe(303);
    const history = (await (await s.request(`/api/tasks/${TASK}/history`, { token: await s.token('office') })).json()) as { items: { type: string; payload: { attachments?: { name: string; sha256: string }[] } }[] };
    const progress = history.items.findLast((e) => e.type === 'PROGRESS')!;
    expect(progress.payload.attachments!.map((f) => f.name)).toEqual(['实施方案.pdf', '现场照片.png']);
    const [pdf, png] = progress.payload.attachments!;

    const page = await office.get(PAGE);
    expect(page.headers.get('content-security-policy')).toBe(WEB_CSP);
    const files = elementById(page.body, 'files')!;
    expect(files).toContain(`href="${PAGE}/files/${pdf!.sha256}" download`);
    expect(files).toContain(`<iframe src="${PAGE}/files/${pdf!.sha256}?inline=1"`);
    expect(files).toContain(`<img src="${PAGE}/files/${png!.sha256}?inline=1"`);
    expect(files).toContain(`href="${PAGE}/files.zip"`);

    const inline = await office.get(`${PAGE}/files/${pdf!.sha256}?inline=1`);
    expect(inline.status).toBe(200);
    expect(inline.headers.get('content-type')).toBe('application/pdf');
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(inline.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'; sandbox$/);
    expect(inline.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(inline.headers.get('x-content-type-options')).toBe('nosniff');
    const zip = await fetch(`${s.url}${PAGE}/files.zip`, { headers: { Cookie: `duban_session=${office.cookie('duban_session')}` } });
    expect(zip.status).toBe(200);
    expect(storedZipEntries(Buffer.from(await zip.arrayBuffer())).map((e) => e.data)).toEqual([pdfBytes('方案'), pngBytes()]);
  });

  it('given a form with a file sent twice (a double click), when both arrive, then one entry, as for a form without files', async () => {
    await lead.get(PAGE);
    const fields = { _version: String(await version()), _key: 'double-click-key-0001', summary: '重复提交' };
    const file = [{ name: '签到表.pdf', bytes: pdfBytes('签到') }];
    const csrf = lead.csrf()!;
    const before = await s.auditCount();
    expect((await lead.postFiles(`${PAGE}/events/PROGRESS`, fields, file, { csrf })).status).toBe(303);
    expect((await lead.postFiles(`${PAGE}/events/PROGRESS`, fields, file, { csrf })).status).toBe(303);
    expect(await s.auditCount()).toBe(before + 1);
  });

  it('given a unit that is no party to the task, when it asks for the task\'s file by its sha256 or for the zip, then the 404 page', async () => {
    const sha256 = sha256Links((await office.get(PAGE)).body)[0]!;
    expect((await stranger.get(`${PAGE}/files/${sha256}`)).status).toBe(404);
    expect((await stranger.get(`${PAGE}/files/${sha256}?inline=1`)).status).toBe(404);
    expect((await stranger.get(`${PAGE}/files.zip`)).status).toBe(404);
    expect((await lead.get(`${PAGE}/files/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('given files sent to a page route other than an event\'s form, or to a form that takes none, when posted, then 415 and nothing is stored', async () => {
    const before = await stored();
    await lead.get(PAGE);
    expect((await lead.postFiles('/account/password', { current: 'x', password: 'y', password2: 'y' }, [{ name: 'a.pdf', bytes: pdfBytes() }])).status).toBe(415);
    expect((await lead.postFiles(`${PAGE}/events/START`, { _version: String(await version()) }, [{ name: 'a.pdf', bytes: pdfBytes() }])).status).toBe(415);
    expect(await stored()).toEqual(before);
  });

  it('given a multipart form with a forged or missing anti-forgery token, when it is posted, then 403 and no file is stored', async () => {
    const before = await stored();
    await lead.get(PAGE);
    const forged = await lead.postFiles(`${PAGE}/events/PROGRESS`, { _version: String(await version()), summary: '伪造' }, [{ name: '伪造.pdf', bytes: pdfBytes('伪造') }], { csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('given HTML named .pdf on the progress form, when it is posted, then the page comes back 415 with the reason beside the file input and the summary kept, and nothing is stored or logged', async () => {
    const before = await stored();
    await lead.get(PAGE);
    const page = await lead.postFiles(`${PAGE}/events/PROGRESS`, { _version: String(await version()), summary: '附上通知' }, [{ name: '通知.pdf', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') }]);
    expect(page.status).toBe(415);
    const form = elementById(page.body, 'form-PROGRESS')!;
    expect(textOf(elementById(form, 'f-PROGRESS-attachments-error') ?? '')).toContain('文件类型不受支持');
    expect(form).toContain('附上通知');
    expect(await stored()).toEqual(before);
  });

  it('when the office writes to the thread asking the lead unit, with a file, then the comment and its file show in 工作联系 with the open question, and the lead\'s answer closes it', async () => {
    await office.get(PAGE);
    const asked = await office.postFiles(`${PAGE}/events/COMMENT`, { _version: String(await version()), text: '请补充区级落实情况', ask: LEAD }, [{ name: '补充要求.pdf', bytes: pdfBytes('补充') }]);
    expect(asked.status, textOf(elementById(asked.body, "form-COMMENT") ?? asked.body)).toBe(303);
    const thread = elementById((await lead.get(PAGE)).body, 'thread')!;
    expect(textOf(thread)).toContain('待答复问题（1）');
    const notices = await s.db.selectFrom('notification').select(['unit', 'type', 'title']).where('task_id', '=', TASK).where('type', '=', 'COMMENT').execute();
    expect(notices).toEqual([{ unit: LEAD, type: 'COMMENT', title: '【工作联系】第2项任务请答复' }]);
    const questions = await office.get('/questions');
    expect(questions.status).toBe(200);
    expect(textOf(questions.body), textOf(questions.body)).toContain(`请补充区级落实情况 领导小组办公室`);
    expect(questions.body).toContain(`href="${PAGE}#thread"`);
    expect((await lead.get('/questions')).status).toBe(403);
    expect(textOf(thread)).toContain(`待 ${LEAD} 答复`);
    expect(thread).toContain('补充要求.pdf');
    const answered = await lead.post(`${PAGE}/events/COMMENT`, { _version: String(await version()), text: '已补充，见进展' });
    expect(answered.status, textOf(elementById(answered.body, "form-COMMENT") ?? answered.body)).toBe(303);
    expect(textOf(elementById((await office.get(PAGE)).body, 'thread')!)).not.toContain('待答复问题');
    expect(textOf((await office.get('/questions')).body)).toContain('目前没有待答复的问题');
  });

  it('given a question put to a unit that is no party to the task, when it is sent, then 422 names the unit and nothing is written', async () => {
    const before = await stored();
    const response = await s.request(`/api/tasks/${TASK}/comments`, { method: 'POST', token: await s.token('office'), headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '请答复', ask: [STRANGER] }) });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('不是本任务的牵头或责任单位');
    expect(await stored()).toEqual(before);
  });

  it('given a wrong file, when the lead unit withdraws it from the page with a reason, then both stay in the log, the state is unchanged, and the page strikes it through with the reason', async () => {
    const state = async () => ((await (await s.request(`/api/tasks/${TASK}`, { token: await s.token('office') })).json()) as { state: string }).state;
    const was = await state();
    const page = await lead.get(PAGE);
    const form = elementById(page.body, 'form-COMMENT')!;
    const pdf = /<option value="([0-9a-f]{64})">实施方案\.pdf/.exec(form)![1]!;
    // The office's file is not the lead's to withdraw.
    expect(form).not.toContain('补充要求.pdf');
    const answer = await lead.postFiles(`${PAGE}/events/COMMENT`, { _version: String(await version()), text: '方案上传有误，已更正', 'supersedes.sha256': pdf, 'supersedes.reason': '误传了征求意见稿' }, [{ name: '实施方案（定稿）.pdf', bytes: pdfBytes('定稿') }]);
    expect(answer.status, textOf(elementById(answer.body, 'form-COMMENT') ?? answer.body)).toBe(303);
    expect(await state()).toBe(was);
    const files = elementById((await office.get(PAGE)).body, 'files')!;
    expect(files).toMatch(new RegExp(`<del><a href="${PAGE.replace(/[.]/g, '\\.')}/files/${pdf}" download>实施方案\\.pdf</a></del>`));
    expect(textOf(files)).toContain('更正作废：误传了征求意见稿');
    expect(files).toContain('实施方案（定稿）.pdf');
    expect((await office.get(`${PAGE}/files/${pdf}`)).status).toBe(200);
    const history = (await (await s.request(`/api/tasks/${TASK}/history`, { token: await s.token('office') })).json()) as { items: { type: string; payload: { supersedes?: unknown } }[] };
    expect(history.items.findLast((e) => e.type === 'COMMENT')!.payload.supersedes).toEqual([{ sha256: pdf, reason: '误传了征求意见稿' }]);
  });

  it('given a file withdrawn already, another unit\'s file or no file of the task, when a unit withdraws it through the API, then 422 and nothing is written', async () => {
    const token = await s.token('unit', LEAD);
    const list = (await (await s.request(`/api/tasks/${TASK}/files`, { token })).json()) as { items: { sha256: string; name: string; by: { role: string } }[] };
    const withdrawn = list.items.find((f) => f.name === '实施方案.pdf')!.sha256;
    const offices = list.items.find((f) => f.by.role === 'office')!.sha256;
    const before = await stored();
    for (const sha256 of [withdrawn, offices, 'ab'.repeat(32)]) {
      const response = await s.request(`/api/tasks/${TASK}/comments`, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '作废', supersedes: [{ sha256, reason: '重复' }] }) });
      expect(response.status, sha256).toBe(422);
      expect(JSON.stringify(await response.json())).toContain('supersedes.0.sha256');
    }
    expect(await stored()).toEqual(before);
  });
});
