import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '@duban/plan';
import type { ReformTaskContext } from '@duban/reform-task';
import { importPlan } from '../../src/plans/import-plan.ts';
import { UnitError } from '../../src/units/unit-error.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer } from '../support/test-server.ts';

const plan = (leadUnits: string[], responsibleUnits: string[]): Plan => ({
  title: '某市2024年改革工作要点',
  issuer: null,
  issuedOn: null,
  year: 2024,
  tasks: [{ number: 1, part: null, measure: null, text: '推进数据共享。', leadUnits, responsibleUnits, deadline: { text: '2024年6月底前', date: '2024-06-30', ongoing: false } }],
  requirements: [],
  warnings: [],
});

describe('a plan import settles its unknown units through the registry (unitStore.settle)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ seed: async () => undefined });
  });
  afterAll(() => s.close());

  it('given a plan naming a unit the registry lacks and another by a name it does not know, when the office settles them (one new unit, one alias) and imports, then the task carries the canonical names and one audit entry records the settlement', async () => {
    const office = { role: 'office', unit: null, account: { id: 7, name: '督查室张三' } };
    const before = await s.auditCount();
    await s.duban.unitStore.settle({ addUnits: [{ name: '市数据局', kind: 'city-department' }], aliases: [{ alias: '市发展和改革委员会', unit: '市发改委' }] }, office, s.clock.now());
    const entries = [];
    for await (const entry of s.engine.entries({ instanceId: 'organisation' })) entries.push(entry);
    expect(entries.map((entry) => entry.type)).toEqual(['CREATE', 'CHANGE_UNITS']);
    expect(await s.auditCount()).toBe(before + 2);
    expect(entries.at(-1)).toMatchObject({ actor: office, payload: { addUnits: [{ name: '市数据局' }], addAliases: [{ alias: '市发展和改革委员会', unit: '市发改委' }] } });

    const { created } = await importPlan(s.engine, plan(['市发展和改革委员会'], ['市数据局']), 'digital-2024', s.clock.now(), { units: s.duban.units });
    const task = (await s.engine.getInstance(created[0]!))!.snapshot.context as ReformTaskContext;
    expect(task.leadUnits).toEqual(['市发改委']);
    expect(task.responsibleUnits).toEqual(['市数据局']);
  });

  it('given a settlement whose second half is refused (an alias for a unit that does not exist), when it is settled, then nothing of it is added', async () => {
    const entries = await s.auditCount();
    const settled = s.duban.unitStore.settle({ addUnits: [{ name: '市新设局', kind: 'city-department' }], aliases: [{ alias: '新设', unit: '市不存在局' }] }, { role: 'admin', unit: null }, s.clock.now());
    await expect(settled).rejects.toBeInstanceOf(UnitError);
    expect(s.duban.units.has('市新设局')).toBe(false);
    expect(await s.auditCount()).toBe(entries);
  });

  it('given a unit\'s staff, when it tries to settle, then it is refused and nothing changes', async () => {
    const entries = await s.auditCount();
    await expect(s.duban.unitStore.settle({ addUnits: [{ name: '市某局', kind: 'group' }] }, { role: 'unit', unit: '市水务局' }, s.clock.now())).rejects.toBeInstanceOf(UnitError);
    expect(s.duban.units.has('市某局')).toBe(false);
    expect(await s.auditCount()).toBe(entries);
  });
});
