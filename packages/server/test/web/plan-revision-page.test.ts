import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { wordFile } from '../../../plan/test/document/plan-files.ts';
import { textOf, WebClient } from './support/web-client.ts';

const plan = (lines: string[]) => wordFile(['示例市2024年营商环境工作要点', ...lines]);
const original = () =>
  plan(['1. 推进企业开办全程网办。', '牵头单位：市市场监管局', '完成时限：2024年6月底前', '2. 推行证明事项告知承诺制。', '牵头单位：市司法局', '完成时限：2024年9月底前']);
// Task 1's deadline moves, task 2 is gone, task 3 is new.
const revised = () =>
  plan(['1. 推进企业开办全程网办。', '牵头单位：市市场监管局', '完成时限：2024年8月底前', '3. 建设政务数据共享平台。', '牵头单位：市水务局', '完成时限：2024年12月底前']);

const fileForm = async (bytes: Promise<Uint8Array>, step: string, name = '修订稿.docx') => {
  const form = new FormData();
  form.append('step', step);
  form.append('file', new Blob([new Uint8Array(await bytes)]), name);
  return form;
};

/** The apply form of a difference page as the browser would post it: its hidden fields, the boxes still ticked, the reason. */
function applyForm(page: string, options: { untick?: string[]; reason: string }): FormData {
  const form = new FormData();
  const start = page.indexOf('name="step" value="apply"') - 200;
  for (const [, name, value] of page.slice(start).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (name !== '_csrf') form.append(name!, value!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  for (const [, name] of page.matchAll(/<input type="checkbox" name="([^"]+)"[^>]* checked>/g)) {
    if (!(options.untick ?? []).includes(name!)) form.append(name!, 'on');
  }
  form.append('reason', options.reason);
  return form;
}

describe('修订计划, the page', () => {
  let s: TestServer;
  let office: WebClient;
  beforeAll(async () => {
    s = await startTestServer({ startAt: '2024-03-01T09:00:00+08:00', seed: async () => {} });
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
    await office.get('/plans/import');
    const preview = await office.postMultipart('/plans/import', await fileForm(original(), 'preview', 'biz.docx'));
    const form = new FormData();
    const start = preview.body.indexOf('name="step" value="import"') - 200;
    for (const [, name, value] of preview.body.slice(start).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) if (name !== '_csrf') form.append(name!, value!);
    form.set('planId', 'biz-2024');
    expect((await office.postMultipart('/plans/import', form)).status).toBe(303);
  });
  afterAll(() => s.close());

  it('given an imported plan, when a revised .docx is uploaded, then the difference shows each change with its checkbox and nothing is written', async () => {
    const entries = await s.auditCount();
    expect((await office.get('/plans/import')).body).toContain('href="/plans/biz-2024/revise"');
    await office.get('/plans/biz-2024/revise');
    const page = await office.postMultipart('/plans/biz-2024/revise', await fileForm(revised(), 'preview'));
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('新增 1 项，调整 1 项，撤销 1 项，未变 0 项');
    const changed = textOf(/<tr id="change-change:biz-2024.001">[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '');
    expect(changed).toMatch(/完成时限\s*原：2024年6月底前（2024-06-30）\s*改为：2024年8月底前（2024-08-31）/);
    expect(page.body).toContain('name="apply:remove:biz-2024.002"');
    expect(await s.auditCount()).toBe(entries);
  });

  it('given the difference, when applied without a reason, then it comes again with the message beside the reason and nothing is written; with one, only the ticked changes are written', async () => {
    await office.get('/plans/biz-2024/revise');
    const difference = await office.postMultipart('/plans/biz-2024/revise', await fileForm(revised(), 'preview'));
    const entries = await s.auditCount();
    const noReason = await office.postMultipart('/plans/biz-2024/revise', applyForm(difference.body, { reason: '' }));
    expect(noReason.status).toBe(422);
    expect(noReason.body).toMatch(/aria-invalid="true" aria-describedby="reason-error"[\s\S]*请填写修订依据/);
    expect(await s.auditCount()).toBe(entries);

    const applied = await office.postMultipart('/plans/biz-2024/revise', applyForm(noReason.body, { reason: '市政府常务会议审议通过', untick: ['apply:remove:biz-2024.002'] }));
    expect(applied.status).toBe(303);
    const back = await office.get(applied.location!);
    expect(textOf(back.body)).toContain('已应用修订：新增 1 项，调整 1 项，撤销 0 项。');
    expect(await s.auditCount()).toBe(entries + 2);

    // The task's history says what changed, why and who changed it.
    const task = textOf((await office.get('/tasks/biz-2024.001')).body);
    expect(task).toContain('调整任务');
    expect(task).toContain('市政府常务会议审议通过');
    expect(task).toContain('改为：2024年8月底前（2024-08-31）');
    const added = textOf((await office.get('/tasks/biz-2024.003')).body);
    expect(added).toContain('计划导入后增补交办。依据：市政府常务会议审议通过');
  });

  it('given the plan page, when a task is added without a reason or with an unknown unit, then the form comes again with each message beside its field and nothing is written; with both right, the task is added after the last', async () => {
    await office.get('/plans/biz-2024/revise');
    const entries = await s.auditCount();
    const bad = await office.post('/plans/biz-2024/tasks', { add_reason: '', add_text: '编制营商环境白皮书。', add_lead: '没有这个局', add_date: '2024-12-31' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatch(/aria-invalid="true" aria-describedby="add_reason-error"[\s\S]*请填写交办依据/);
    const unknown = await office.post('/plans/biz-2024/tasks', { add_reason: '领导交办', add_text: '编制营商环境白皮书。', add_lead: '没有这个局', add_date: '2024-12-31' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatch(/aria-describedby="add_lead-error"[\s\S]*单位“没有这个局”不在单位名录中/);
    expect(unknown.body).toContain('编制营商环境白皮书。');
    expect(await s.auditCount()).toBe(entries);
    const added = await office.post('/plans/biz-2024/tasks', { add_reason: '领导交办', add_text: '编制营商环境白皮书。', add_lead: '市司法局', add_date: '2024-12-31' });
    expect(added.status).toBe(303);
    expect(textOf((await office.get(added.location!)).body)).toContain('已增补任务 biz-2024.004。');
    expect(await s.auditCount()).toBe(entries + 1);
  });

  it('given the plan, when the office archives it and restores it, then the page says so each time; an unknown plan is 404 and a unit 403', async () => {
    await office.get('/plans/biz-2024/revise');
    const archived = await office.post('/plans/biz-2024/active', { active: 'false' });
    expect(archived.status).toBe(303);
    expect(textOf((await office.get(archived.location!)).body)).toMatch(/状态：\s*已归档/);
    const restored = await office.post('/plans/biz-2024/active', { active: 'true' });
    expect(textOf((await office.get(restored.location!)).body)).toMatch(/状态：\s*执行中/);
    expect((await office.get('/plans/no-such/revise')).status).toBe(404);
    const unit = new WebClient(s.url);
    await unit.signIn(await s.token('unit', '市水务局'));
    expect((await unit.get('/plans/biz-2024/revise')).status).toBe(403);
  });
});
