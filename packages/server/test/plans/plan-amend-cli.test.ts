import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase } from '../support/test-server.ts';

const planText = (tasks: string[][]) => ['# 示例市2024年工作要点', '', ...tasks.flatMap(([number, text, lead, due]) => [`${number}. ${text}`, `牵头单位：${lead}`, `完成时限：${due}`, ''])].join('\n');

describe('duban plan amend', () => {
  let dir: string;
  let db: string;
  let revised: string;
  const entries = async () => {
    const duban = await openDuban(db, { create: false });
    try {
      return await duban.engine.auditSize();
    } finally {
      await duban.close();
    }
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-amend-'));
    db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
    const original = join(dir, 'biz.md');
    writeFileSync(original, planText([['1', '推进企业开办全程网办。', '市市场监管局', '2024年6月底前'], ['2', '推行证明事项告知承诺制。', '市司法局', '2024年9月底前']]));
    expect((await run('plan', 'import', '--db', db, original, '--plan-id', 'biz-2024', '--at', '2024-03-01T09:00:00+08:00')).code).toBe(0);
    revised = join(dir, 'biz-revised.md');
    writeFileSync(revised, planText([['1', '推进企业开办全程网办。', '市市场监管局', '2024年8月底前'], ['3', '建设政务数据共享平台。', '市水务局', '2024年12月底前']]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a revised file, when plan amend runs without --apply, then it prints the difference and writes nothing', async () => {
    const before = await entries();
    const shown = await run('plan', 'amend', '--db', db, '--plan-id', 'biz-2024', revised, '--at', '2024-03-02T09:00:00+08:00');
    expect(shown.code).toBe(0);
    const preview = JSON.parse(shown.out) as { changes: { id: string }[] };
    expect(preview.changes.map((change) => change.id)).toEqual(['change:biz-2024.001', 'remove:biz-2024.002', 'add:3']);
    expect(shown.err).toContain('新增 1 项，调整 1 项，撤销 1 项，未变 0 项');
    expect(await entries()).toBe(before);
  });

  it('given bad arguments or an unknown plan, then exit 2 or 1 naming it, and nothing written', async () => {
    const before = await entries();
    expect((await run('plan', 'amend', '--db', db, revised)).code).toBe(2);
    expect((await run('plan', 'amend', '--db', db, '--plan-id', 'biz-2024', revised, '--apply', 'all')).code).toBe(2);
    const unknown = await run('plan', 'amend', '--db', db, '--plan-id', 'no-such', revised);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('计划“no-such”不存在');
    const notInDifference = await run('plan', 'amend', '--db', db, '--plan-id', 'biz-2024', revised, '--apply', 'remove:biz-2024.001', '--reason', '修订稿');
    expect(notInDifference.code).toBe(1);
    expect(notInDifference.err).toContain('不是本次修订稿与计划的差异之一');
    expect(await entries()).toBe(before);
  });

  it('given the difference, when plan amend --apply runs with a reason, then the chosen changes are written in one go', async () => {
    const before = await entries();
    const applied = await run('plan', 'amend', '--db', db, '--plan-id', 'biz-2024', revised, '--apply', 'change:biz-2024.001,add:3', '--reason', '市政府常务会议审议通过', '--at', '2024-03-02T09:00:00+08:00');
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toBe('amended plan biz-2024: 1 tasks added, 1 amended, 0 withdrawn (2 audit entries)');
    expect(await entries()).toBe(before + 2);
  });
});
