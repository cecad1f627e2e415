import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { wordFile } from '../../../plan/test/document/plan-files.ts';
import { textOf, WebClient } from './support/web-client.ts';

/** A Word plan of two tasks; the second is led by a unit the registry does not know and was due in 2023. */
const wordPlan = (unknownUnit = '示例市数据局') =>
  wordFile([
    '示例市2024年营商环境工作要点',
    '1. 推进企业开办全程网办。',
    '牵头单位：市市场监管局',
    '完成时限：2024年6月底前',
    '2. 建设政务数据共享平台。',
    `牵头单位：${unknownUnit}`,
    '完成时限：2023年12月底前',
  ]);

const upload = async (name = '营商环境工作要点.docx', unknownUnit?: string) => {
  const form = new FormData();
  form.append('step', 'preview');
  form.append('file', new Blob([new Uint8Array(await wordPlan(unknownUnit))]), name);
  return form;
};

/** The confirmation form of the last preview page, with `changes` applied, as the browser would post it. */
function confirmation(page: string, changes: Record<string, string>): FormData {
  const form = new FormData();
  const confirm = page.slice(page.indexOf('name="step" value="import"') - 200);
  for (const [, name, value] of confirm.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (name !== '_csrf') form.append(name!, value!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  for (const [name, value] of Object.entries(changes)) form.set(name, value);
  return form;
}

describe('导入计划, the page', () => {
  let s: TestServer;
  let office: WebClient;
  beforeAll(async () => {
    s = await startTestServer({ startAt: '2024-03-01T09:00:00+08:00', seed: async () => {} });
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
  });
  afterAll(() => s.close());

  it('given the office, when it opens 导入计划, then the navigation links it and the upload form is there; a unit gets 403', async () => {
    const page = await office.get('/plans/import');
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/plans/import" aria-current="page"');
    expect(page.body).toContain('enctype="multipart/form-data"');
    const unit = new WebClient(s.url);
    await unit.signIn(await s.token('unit', '市水务局'));
    expect((await unit.get('/plans/import')).status).toBe(403);
  });

  it('when a .docx is uploaded, then the preview lists the tasks, the unknown unit beside its task with a choice of units, the passed deadline, and suggests nothing stored', async () => {
    const entries = await s.auditCount();
    await office.get('/plans/import');
    const page = await office.postMultipart('/plans/import', await upload());
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('共 2 项任务');
    expect(text).toContain('已有 1 项任务的完成时限已过');
    expect(textOf(/<tr id="task-2">[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '')).toContain('单位“示例市数据局”不在单位名录中');
    expect(page.body).toMatch(/<select id="map-0" name="map_0"><option value="">请选择<\/option><option value="__add__">新增为单位<\/option>.*<option value="市水务局">市水务局<\/option>/s);
    expect(await s.auditCount()).toBe(entries);
  });

  it('when the unknown unit is left unchosen or the plan id is bad, then the preview comes again with each message beside its field and nothing is imported', async () => {
    const entries = await s.auditCount();
    await office.get('/plans/import');
    const preview = await office.postMultipart('/plans/import', await upload());
    const unchosen = await office.postMultipart('/plans/import', confirmation(preview.body, { planId: 'biz-2024', map_0: '' }));
    expect(unchosen.status).toBe(422);
    expect(unchosen.body).toMatch(/aria-invalid="true" aria-describedby="map_0-error"[\s\S]*请为“示例市数据局”选择对应的已有单位，或选择“新增为单位”/);
    const badId = await office.postMultipart('/plans/import', confirmation(unchosen.body, { planId: '../x', map_0: '市水务局' }));
    expect(badId.status).toBe(422);
    expect(textOf(badId.body)).toContain('计划编号须为1至80个英文字母');
    expect(badId.body).toContain('<option value="市水务局" selected>');
    expect(await s.auditCount()).toBe(entries);
  });

  it('when the unit is mapped and the import confirmed, then the plan is imported (one entry per task) and listed; the same id again is refused beside the id', async () => {
    const entries = await s.auditCount();
    await office.get('/plans/import');
    const preview = await office.postMultipart('/plans/import', await upload());
    const done = await office.postMultipart('/plans/import', confirmation(preview.body, { planId: 'biz-2024', title: '营商环境工作要点', year: '2024', map_0: '市水务局' }));
    expect(done.status).toBe(303);
    expect(done.location).toBe('/plans/import?imported=biz-2024');
    // The organisation's log begins (its first entry), the mapping is remembered as an alias of 市水务局, then one entry per task.
    expect(await s.auditCount()).toBe(entries + 4);
    const listed = await office.get(done.location!);
    expect(textOf(listed.body)).toContain('已导入计划“营商环境工作要点”（biz-2024），共 2 项任务。');

    const again = await office.postMultipart('/plans/import', confirmation(preview.body, { planId: 'biz-2024', map_0: '市水务局' }));
    expect(again.status).toBe(409);
    expect(textOf(again.body)).toContain('计划编号“biz-2024”已存在');
    expect(await s.auditCount()).toBe(entries + 4);
  });

  it('when an upload comes from another origin or without the page\'s token, then 403 and nothing is read', async () => {
    await office.get('/plans/import');
    expect((await office.postMultipart('/plans/import', await upload(), { origin: 'http://evil.example' })).status).toBe(403);
    await office.get('/plans/import');
    expect((await office.postMultipart('/plans/import', await upload(), { csrf: 'forged' })).status).toBe(403);
  });

  it('when a file the reader refuses is uploaded, then the upload form comes again with the reason beside the file', async () => {
    await office.get('/plans/import');
    const refused = await office.postMultipart('/plans/import', await upload('工作要点.docm'));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatch(/aria-describedby="file-error"[\s\S]*宏/);
  });

  it('when 新增为单位 is chosen, then the unit joins the registry in an audited entry and the plan is imported', async () => {
    const entries = await s.auditCount();
    await office.get('/plans/import');
    const preview = await office.postMultipart('/plans/import', await upload(undefined, '示例市大数据中心'));
    const done = await office.postMultipart('/plans/import', confirmation(preview.body, { planId: 'biz-2024-added', map_0: '__add__' }));
    expect(done.status).toBe(303);
    const units = (await (await s.request('/api/units', { token: await s.token('office') })).json()) as { items: { name: string }[] };
    expect(units.items.map((u) => u.name)).toContain('示例市大数据中心');
    // One entry for the registry's change, one per task.
    expect(await s.auditCount()).toBe(entries + 3);
  });
});
