import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase } from '../support/test-server.ts';

describe('plan parse with a database: the units as that database knows them', () => {
  let dir: string;
  let db: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-parse-'));
    db = await reopenableDatabase();
    const duban = await openDuban(db, { create: true });
    // A unit this deployment has and the repository's data/units.json does not.
    await duban.unitStore.add({ name: '示例市数据局', kind: 'city-department', aliases: ['市大数据中心'] }, { role: 'admin', unit: null }, new Date('2024-03-01T00:00:00Z'));
    await duban.close();
    file = join(dir, 'plan.md');
    writeFileSync(file, ['# 示例市2024年工作要点', '', '1. 建设政务数据共享平台。', '牵头单位：市大数据中心', '完成时限：2024年12月底前', ''].join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a unit only the database has, when plan parse runs without and with --db, then only the database resolves its alias to the unit', async () => {
    const bare = await run('plan', 'parse', file);
    expect(bare.code).toBe(0);
    expect(bare.err).toContain('市大数据中心');
    expect((JSON.parse(bare.out) as { tasks: { leadUnits: string[] }[] }).tasks[0]?.leadUnits).toEqual(['市大数据中心']);

    const withDb = await run('plan', 'parse', '--db', db, file);
    expect(withDb.code).toBe(0);
    expect((JSON.parse(withDb.out) as { tasks: { leadUnits: string[] }[] }).tasks[0]?.leadUnits).toEqual(['示例市数据局']);
    expect(withDb.err).not.toContain('不在单位名录');
  });
});
