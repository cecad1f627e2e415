import { repositoryUnits } from '@duban/plan';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, openStore } from '@duban/engine';
import { PlanInputError } from '@duban/plan';
import { reformTaskV1 } from '@duban/reform-task';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase } from '../support/test-server.ts';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';
import { wordFile } from '../../../plan/test/document/plan-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'duban-plan-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Word plan under a Chinese file name whose second task names no lead unit. */
async function wordPlan(): Promise<string> {
  const path = join(dir, '示例市2023年工作要点.docx');
  writeFileSync(path, await wordFile([
    '示例市2023年“放管服”改革工作要点',
    '一、重点任务',
    '1. 推进企业开办全程网办。',
    '牵头单位：市市场监管局',
    '完成时限：2023年6月底前',
    '2. 推行告知承诺制。',
    '责任单位：市司法局、市市场监管局（配合）',
    '完成时限：2023年9月底前',
  ]));
  return path;
}

describe('plan files on the server', () => {
  it('given a .docx under a Chinese name with a task lacking a lead unit, when loaded, then it loads with a warning naming the task and a plan id made from the name', async () => {
    const loaded = await loadPlanFile(await wordPlan());
    expect(loaded.planId).toMatch(/^plan-[0-9a-f]{12}$/);
    expect(loaded.document.format).toBe('docx');
    expect(loaded.plan.tasks.map((task) => [task.number, task.leadUnits])).toEqual([[1, ['市市场监管局']], [2, []]]);
    expect(loaded.plan.warnings).toEqual([{ line: 6, message: '第2项没有写牵头单位（只写了责任单位：市司法局、市市场监管局）', where: '第6段' }]);
  });

  it('given that plan, when imported as the server does at start, then the other tasks are created and the lead-less task is skipped by name, not a failure', async () => {
    const engine = new Engine(await openStore(await freshDatabase()), [reformTaskV1]);
    const { plan, planId } = await loadPlanFile(await wordPlan());
    const imported = await importPlan(engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units: repositoryUnits });
    expect(imported.created).toEqual([`${planId}.001`]);
    expect(imported.skipped).toEqual([{ number: 2, reason: '第2项没有牵头单位，未导入' }]);
  });

  it('given a 50 MB file, when loaded, then it is refused by its size before being read', async () => {
    const path = join(dir, 'huge.docx');
    writeFileSync(path, '');
    truncateSync(path, 50 * 1024 * 1024);
    const error = await loadPlanFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlanInputError);
    expect(error).toMatchObject({ code: 'too-large', file: 'huge.docx' });
  });

  it('given a .docx, when plan parse runs, then Plan JSON goes to stdout and each warning with its paragraph to stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['plan', 'parse', await wordPlan()], { out: (text) => void out.push(text), err: (text) => void err.push(text) });
    expect(code).toBe(0);
    expect((JSON.parse(out.join('\n')) as { tasks: unknown[] }).tasks).toHaveLength(2);
    expect(err.join('\n')).toContain('格式：docx　警告：1 条');
    expect(err.join('\n')).toContain('  第6段：第2项没有写牵头单位');
  });

  it('given a .doc, when plan parse runs, then it exits 1 with the message to save it as .docx and no stack', async () => {
    const path = join(dir, '工作要点.doc');
    writeFileSync(path, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    const err: string[] = [];
    const code = await main(['plan', 'parse', path], { out: () => undefined, err: (text) => void err.push(text) });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/“工作要点\.doc”的格式无法读取；请用Word 或 WPS 文字打开，另存为 \.docx/);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('given a plan naming an unknown unit, when plan import runs without --map, then it exits 1 naming the unit and its line; with --map it imports; the same id again exits 1 saying the id exists', async () => {
    const db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
    const path = join(dir, 'campaign.docx');
    writeFileSync(path, await wordFile(['专项行动方案', '1. 开展涉企收费专项检查。', '牵头单位：示例市数据局', '完成时限：2023年9月底前']));
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['plan', 'import', '--db', db, ...args], { out: (text) => void out.push(text), err: (text) => void err.push(text) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const refused = await run(path, '--at', '2023-05-10T09:00:00+08:00');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('单位“示例市数据局”不在单位名录中（第3行）');
    const imported = await run(path, '--map', '示例市数据局=市水务局', '--at', '2023-05-10T09:00:00+08:00');
    expect(imported).toMatchObject({ code: 0, out: 'imported plan campaign: 1 tasks created' });
    const duban = await openDuban(db, { create: false });
    try {
      // The mapping is remembered as an alias in the organisation's instance; the plan's tasks are the reform tasks.
      const listed = (await duban.engine.listInstances({ limit: 10 })).filter((record) => record.workflowId === 'reform-task');
      expect(listed.map((record) => [record.id, (record.snapshot.context as { leadUnits: string[] }).leadUnits])).toEqual([['campaign.001', ['市水务局']]]);
      expect((await duban.planRecords.list()).map((plan) => [plan.id, plan.title, plan.tasks, plan.sourceName])).toEqual([['campaign', '专项行动方案', 1, 'campaign.docx']]);
    } finally {
      await duban.close();
    }
    const again = await run(path, '--map', '示例市数据局=市水务局');
    expect(again.code).toBe(1);
    expect(again.err).toContain('计划编号“campaign”已存在');
  });
});
