import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer } from '../support/test-server.ts';
import { excelFile, wordFile, wordLikeZip } from '../../../plan/test/document/plan-files.ts';

/** A Word plan of three tasks; the third names a unit the registry does not know (示例市数据局). */
const wordPlan = (unknownUnit = '示例市数据局') =>
  wordFile([
    '示例市2024年“放管服”改革工作要点',
    '一、重点任务',
    '1. 推进企业开办全程网办。',
    '牵头单位：市市场监管局',
    '完成时限：2024年6月底前',
    '2. 推行证明事项告知承诺制。',
    '牵头单位：市司法局',
    '完成时限：2024年9月底前',
    '3. 建设政务数据共享平台。',
    `牵头单位：${unknownUnit}`,
    '责任单位：市水务局',
    '完成时限：2024年12月底前',
  ]);

/** An Excel task table of two tasks; one task's text is a cell holding a formula with no cached result. */
const excelPlan = () =>
  excelFile((workbook) => {
    const sheet = workbook.addWorksheet('任务清单');
    sheet.addRow(['序号', '任务内容', '牵头单位', '责任单位', '完成时限']);
    sheet.addRow([1, '推进企业开办全程网办。', '市市场监管局', '', '2024年6月底前']);
    sheet.addRow([2, '推行证明事项告知承诺制。', '市司法局', { formula: 'HYPERLINK("http://127.0.0.1/x","点击")' }, '2024年9月底前']);
  });

const form = (bytes: Uint8Array, name: string, fields: Record<string, string> = {}) => {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(bytes)]), name);
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
};

describe('plans through the API', () => {
  let s: TestServer;
  let office: string;
  /** What a refused request must leave alone: the audit log and the plan list. */
  let before: () => Promise<{ entries: number; plans: unknown }>;
  beforeAll(async () => {
    // Plans up to 1 MB here, so that an upload over the limit is small enough to arrive whole before the answer.
    s = await startTestServer({ startAt: '2024-03-01T09:00:00+08:00', seed: async () => {}, planMaxBytes: 1024 * 1024 });
    office = await s.token('office');
    before = async () => ({ entries: await s.auditCount(), plans: await (await s.request('/api/plans', { token: office })).json() });
  });
  afterAll(() => s.close());

  const post = (path: string, body: FormData | string, token = office) =>
    s.request(path, { method: 'POST', token, body, ...(typeof body === 'string' ? { headers: { 'Content-Type': 'application/json' } } : {}) });

  it('given a real .docx, when it is previewed through multipart, then the tasks, the unknown unit with its line and the warnings come back and nothing is stored', async () => {
    const was = await before();
    const response = await post('/api/plans/preview', form(await wordPlan(), '示例市2024年工作要点.docx'));
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { plan: { title: string; tasks: { number: number; leadUnits: string[] }[] }; unknownUnits: { name: string; lines: number[] }[]; warnings: { message: string }[]; pastDeadlines: number; format: string };
    expect(preview.format).toBe('docx');
    expect(preview.plan.tasks.map((t) => [t.number, t.leadUnits])).toEqual([[1, ['市市场监管局']], [2, ['市司法局']], [3, ['示例市数据局']]]);
    expect(preview.unknownUnits).toEqual([{ name: '示例市数据局', lines: [10] }]);
    expect(preview.warnings.map((w) => w.message)).toContain('单位“示例市数据局”不在单位名录中');
    expect(preview.pastDeadlines).toBe(0);
    expect(await before()).toEqual(was);
  });

  it('given a real .xlsx with a formula cell, when it is previewed, then its tasks are read, the formula is not run but named as a warning', async () => {
    const response = await post('/api/plans/preview', form(await excelPlan(), '任务清单.xlsx'));
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { plan: { tasks: { number: number; text: string; leadUnits: string[] }[] }; warnings: { message: string }[]; unknownUnits: unknown[] };
    expect(preview.plan.tasks.map((t) => [t.number, t.leadUnits])).toEqual([[1, ['市市场监管局']], [2, ['市司法局']]]);
    expect(preview.warnings.some((w) => w.message.includes('是公式') && w.message.includes('公式不会被执行'))).toBe(true);
    expect(preview.unknownUnits).toEqual([]);
  });

  it('given Plan JSON as the body, when it is previewed, then it is read like a file', async () => {
    const plan = { title: '专项行动', issuer: null, issuedOn: null, year: 2024, requirements: [], warnings: [], tasks: [{ number: 1, part: null, measure: null, text: '开展专项检查。', leadUnits: ['市水务局'], responsibleUnits: [], deadline: { text: '2023年12月底前', date: '2023-12-31', ongoing: false } }] };
    const response = await post('/api/plans/preview', JSON.stringify(plan));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ format: 'json', pastDeadlines: 1, unknownUnits: [] });
  });

  it('given a plan naming an unknown unit, when it is imported without a mapping, then 422 lists the unit with its line and nothing is stored', async () => {
    const was = await before();
    const response = await post('/api/plans', form(await wordPlan(), '示例市2024年工作要点.docx', { planId: 'demo-2024' }));
    expect(response.status).toBe(422);
    const body = await problemOf(response);
    expect(body).toMatchObject({ type: 'urn:duban:problem:unknown-units', title: '计划中有不在单位名录中的单位，请先对应到已有单位或新增为单位', unknownUnits: [{ name: '示例市数据局', lines: [10] }] });
    expect(await before()).toEqual(was);
  });

  it('given a mapping to a unit that is not in the registry, when imported, then 422 names the mapping and nothing is stored', async () => {
    const was = await before();
    const response = await post('/api/plans', form(await wordPlan(), '示例市2024年工作要点.docx', { planId: 'demo-2024', unitMappings: JSON.stringify({ 示例市数据局: '没有这个局' }) }));
    expect(response.status).toBe(422);
    expect((await problemOf(response))['errors']).toEqual([{ path: 'unitMappings.示例市数据局', message: '“没有这个局”不在单位名录中' }]);
    expect(await before()).toEqual(was);
  });

  it('given a unit token, when it previews or imports, then 403 and nothing is stored', async () => {
    const was = await before();
    const unit = await s.token('unit', '市水务局');
    expect((await post('/api/plans/preview', form(await wordPlan(), 'a.docx'), unit)).status).toBe(403);
    expect((await post('/api/plans', form(await wordPlan(), 'a.docx', { planId: 'x' }), unit)).status).toBe(403);
    expect(await before()).toEqual(was);
  });

  it('given the unknown unit mapped to a registry unit, when imported, then 201, one audit entry per task, the tasks name the mapped unit, and the plan is listed; the same id again is 409 and changes nothing', async () => {
    const entries = await s.auditCount();
    const response = await post('/api/plans', form(await wordPlan(), '示例市2024年工作要点.docx', { planId: 'demo-2024', year: '2024', unitMappings: JSON.stringify({ 示例市数据局: '市水务局' }) }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ planId: 'demo-2024', created: 3, skipped: [], pastDeadlines: 0 });
    // The organisation's log begins (its first entry), the mapping is remembered as an alias of 市水务局, then one entry per task.
    expect(await s.auditCount()).toBe(entries + 5);
    const task = (await (await s.request('/api/tasks/demo-2024.003', { token: office })).json()) as { leadUnits: string[]; responsibleUnits: string[] };
    expect(task.leadUnits).toEqual(['市水务局']);
    const list = (await (await s.request('/api/plans', { token: office })).json()) as { items: { id: string; title: string; year: number; tasks: number; active: boolean; source: { name: string; sha256: string } }[] };
    expect(list.items).toEqual([expect.objectContaining({ id: 'demo-2024', title: '示例市2024年“放管服”改革工作要点', year: 2024, tasks: 3, active: true, source: { name: '示例市2024年工作要点.docx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } })]);

    const was = await before();
    const again = await post('/api/plans', form(await excelPlan(), '任务清单.xlsx', { planId: 'demo-2024' }));
    expect(again.status).toBe(409);
    expect((await problemOf(again))['title']).toBe('计划编号已存在');
    expect(await before()).toEqual(was);
  });

  describe('bad input: each refused with its problem, nothing stored', () => {
    const cases: [string, () => Promise<[Uint8Array, string]>, number, string][] = [
      ['an empty document', async () => [new Uint8Array(), '工作要点.docx'], 422, '是空文件'],
      ['a document with no tasks', async () => [await wordFile(['关于做好有关工作的通知', '各单位：请认真落实。']), '通知.docx'], 422, '未找到任何任务'],
      ['a file over the size limit', async () => [new Uint8Array(2 * 1024 * 1024).fill(0x41), 'big.txt'], 413, '计划文件不能超过 1.0 MB'],
      ['a zip bomb named .docx', async () => [wordLikeZip([{ name: 'word/bomb.xml', data: new Uint8Array(1024 * 1024), declaredSize: 4_000_000_000 }]), '工作要点.docx'], 415, '压缩炸弹'],
      ['a macro-enabled .docm', async () => [await wordPlan(), '工作要点.docm'], 415, '宏'],
      ['a macro-enabled .xlsm', async () => [await excelPlan(), '任务.xlsm'], 415, '宏'],
      ['an .xlsx whose name says .docx', async () => [await excelPlan(), '工作要点.docx'], 415, '扩展名是 .docx'],
    ];
    for (const [what, file, status, says] of cases) {
      it(`given ${what}, when it is previewed and imported, then ${status} naming the reason, and nothing is stored`, async () => {
        const was = await before();
        const [bytes, name] = await file();
        for (const path of ['/api/plans/preview', '/api/plans']) {
          const response = await post(path, form(bytes, name, { planId: 'bad-input' }));
          expect(response.status, path).toBe(status);
          const body = await problemOf(response);
          expect(JSON.stringify(body), path).toContain(says);
        }
        expect(await before()).toEqual(was);
      });
    }

    it('given no file at all, when previewed, then 422 asks for the file', async () => {
      const response = await post('/api/plans/preview', new FormData());
      expect(response.status).toBe(422);
      expect((await problemOf(response))['errors']).toEqual([{ path: 'file', message: '请选择计划文件' }]);
    });

    it('given a plan id that is not letters and digits, when imported, then 422 names planId', async () => {
      const was = await before();
      const response = await post('/api/plans', form(await excelPlan(), '任务清单.xlsx', { planId: '../etc' }));
      expect(response.status).toBe(422);
      expect(JSON.stringify((await problemOf(response))['errors'])).toContain('planId');
      expect(await before()).toEqual(was);
    });
  });

  it('given the same plan, when it asks to add the unknown unit, then the unit joins the registry in an audited entry and the plan is imported', async () => {
    const was = await before();
    const response = await post('/api/plans', form(await wordPlan('示例市大数据中心'), '示例市2024年工作要点.docx', { planId: 'demo-2024-added', addUnknownUnits: 'true' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ planId: 'demo-2024-added', created: 3 });
    const units = (await (await s.request('/api/units', { token: office })).json()) as { items: { name: string }[] };
    expect(units.items.map((u) => u.name)).toContain('示例市大数据中心');
    // One entry for the registry's change, one per task.
    expect(await s.auditCount()).toBe(was.entries + 4);
  });
});
