import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';

interface UnitView {
  name: string;
  kind: string;
  aliases: string[];
  members: string[];
}

describe('the unit registry over the API', () => {
  let s: TestServer;
  let admin: string;
  let office: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.token('admin');
    office = await s.token('office');
  });
  afterAll(() => s.close());

  const json = (token: string, method: string, path: string, body: unknown) =>
    s.request(path, { method, token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const units = async (token = office): Promise<UnitView[]> => ((await (await s.request('/api/units', { token })).json()) as { items: UnitView[] }).items;
  const unitRows = async () => ({
    units: await s.db.selectFrom('unit').selectAll().orderBy('name').execute(),
    aliases: await s.db.selectFrom('unit_alias').selectAll().orderBy('alias').execute(),
    members: await s.db.selectFrom('unit_member').selectAll().orderBy('collective').orderBy('position').execute(),
  });

  it('given a database seeded from data/units.json, when a unit reads GET /api/units, then every unit is there with its kind, aliases and members', async () => {
    const unit = await s.token('unit', '市水务局');
    const items = await units(unit);
    expect(items.find((u) => u.name === '市住房公积金管理中心')).toEqual({ name: '市住房公积金管理中心', kind: 'city-department', aliases: ['市住房公积金中心'], members: [] });
    expect(items.find((u) => u.name === '各区人民政府')).toMatchObject({ kind: 'collective', members: expect.arrayContaining(['独山子区人民政府']) });
    expect(items.length).toBeGreaterThan(30);
  });

  it('given an admin, when a unit is added with an alias and then a collective is set to include it, then both changes show, each is one hashed audit entry naming the admin, and the chain verifies', async () => {
    const before = await s.auditCount();
    const added = await json(admin, 'POST', '/api/units', { name: ' 市数据局 ', kind: 'city-department', aliases: ['市大数据中心'] });
    expect(added.status, await added.clone().text()).toBe(201);
    expect(await added.json()).toEqual({ name: '市数据局', kind: 'city-department', aliases: ['市大数据中心'], members: [] });
    const collective = await json(admin, 'POST', '/api/units', { name: '市数字政府建设专班成员单位', kind: 'collective', members: ['市大数据中心', '市发改委'] });
    expect(collective.status, await collective.clone().text()).toBe(201);
    expect(((await collective.json()) as UnitView).members).toEqual(['市数据局', '市发改委']);
    // The organisation instance's creation, then one entry per change.
    expect(await s.auditCount()).toBe(before + 3);
    const log = (await (await s.request(`/api/audit?after=${before}&limit=10`, { token: admin })).json()) as { items: { type: string; actor: { role: string }; hash: string; payload: Record<string, unknown> }[] };
    const changes = log.items.filter((entry) => entry.type === 'CHANGE_UNITS');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ actor: { role: 'admin' }, payload: { addUnits: [{ name: '市数据局', kind: 'city-department' }], addAliases: [{ alias: '市大数据中心', unit: '市数据局' }] } });
    for (const entry of changes) expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    const verify = (await (await s.request('/api/audit/verify', { token: admin })).json()) as { ok: boolean; entries: number };
    expect(verify).toMatchObject({ ok: true, entries: before + 3 });
  });

  it('given an alias added over the API, when the office reassigns a task to that alias, then REASSIGN accepts it and the task carries the canonical name', async () => {
    const added = await json(admin, 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { addAliases: ['市发展改革委'] });
    expect(added.status, await added.clone().text()).toBe(200);
    expect(((await added.json()) as UnitView).aliases).toEqual(['市发展改革委']);
    const response = await s.send(office, taskId(2), { type: 'REASSIGN', leadUnits: ['市发展改革委'] });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(((await response.json()) as { task: { leadUnits: string[] } }).task.leadUnits).toEqual(['市发改委']);
  });

  it('given an admin, when an alias is removed and a kind changed, then the registry says so', async () => {
    const response = await json(admin, 'PATCH', `/api/units/${encodeURIComponent('市大数据中心')}`, { removeAliases: ['市大数据中心'], kind: 'group' });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ name: '市数据局', kind: 'group', aliases: [], members: [] });
  });

  const refusals: [string, string, string, unknown, number, string][] = [
    ['a name the registry has', 'POST', '/api/units', { name: '市发改委', kind: 'city-department' }, 409, 'name'],
    ['a name that is another unit’s alias, in other punctuation width', 'POST', '/api/units', { name: '市住房公积金中心 ', kind: 'city-department' }, 409, 'name'],
    ['an empty name', 'POST', '/api/units', { name: '   ', kind: 'city-department' }, 422, 'name'],
    ['an unknown member', 'POST', '/api/units', { name: '新集合', kind: 'collective', members: ['市不存在局'] }, 422, 'members.0'],
    ['members for a unit that is not a collective', 'POST', '/api/units', { name: '新部门', kind: 'city-department', members: ['市发改委'] }, 422, 'members'],
    ['a collective as a member', 'POST', '/api/units', { name: '新集合', kind: 'collective', members: ['各区人民政府'] }, 422, 'members.0'],
    ['a member twice', 'POST', '/api/units', { name: '新集合', kind: 'collective', members: ['市发改委', '市发改委'] }, 409, 'members.1'],
    ['an alias that is another unit’s name', 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { addAliases: ['市财政局'] }, 409, 'addAliases.0'],
    ['an alias given twice', 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { addAliases: ['发改', '发改'] }, 409, 'addAliases.1'],
    ['removing an alias the unit does not have', 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { removeAliases: ['市住房公积金中心'] }, 422, 'removeAliases.0'],
    ['an unknown unit', 'PATCH', `/api/units/${encodeURIComponent('市不存在局')}`, { kind: 'group' }, 404, 'name'],
    ['a collective with members made a department', 'PATCH', `/api/units/${encodeURIComponent('各区人民政府')}`, { kind: 'city-department' }, 422, 'kind'],
    ['an unknown kind', 'POST', '/api/units', { name: '新部门', kind: 'ministry' }, 422, 'kind'],
    ['an unknown field', 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { rename: 'x' }, 422, 'rename'],
    ['nothing to change', 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, {}, 422, 'change'],
  ];
  it.each(refusals)('given %s, when an admin sends it, then the status and field are named in Chinese and nothing changes', async (_what, method, path, body, status, field) => {
    const [rowsBefore, entriesBefore] = [await unitRows(), await s.auditCount()];
    const response = await json(admin, method, path, body);
    expect(response.status, await response.clone().text()).toBe(status);
    const problem = await problemOf(response);
    const errors = problem['errors'] as { path: string; message: string }[];
    expect(errors.map((e) => e.path.replace(/^(body|path)\./, ''))).toEqual([field]);
    expect(await unitRows()).toEqual(rowsBefore);
    expect(await s.auditCount()).toBe(entriesBefore);
  });

  it('given a unit, the office and a reviewer, when each tries to add a unit or change one, then 403 and nothing changes', async () => {
    const rowsBefore = await unitRows();
    for (const token of [await s.token('unit', '市水务局'), office, await s.token('reviewer')]) {
      expect((await json(token, 'POST', '/api/units', { name: '市某局', kind: 'city-department' })).status).toBe(403);
      expect((await json(token, 'PATCH', `/api/units/${encodeURIComponent('市发改委')}`, { addAliases: ['某'] })).status).toBe(403);
    }
    expect(await unitRows()).toEqual(rowsBefore);
  });

  it('given the changes above, when the office reads the task list, the reports and the replay, then only reform tasks are listed and replay finds no difference', async () => {
    const list = (await (await s.request('/api/tasks?limit=1000', { token: office })).json()) as { items: { id: string }[] };
    expect(list.items.map((task) => task.id)).not.toContain('organisation');
    expect(list.items).toHaveLength(71);
    const summary = await s.request('/api/reports/summary', { token: office });
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { total: number }).total).toBe(71);
    const replay = (await (await s.request('/api/replay', { token: office })).json()) as { items: { taskId: string }[]; differences: unknown[] };
    expect(replay.differences).toEqual([]);
    expect(replay.items.map((item) => item.taskId)).toContain('organisation');
    for (const token of [office, admin]) {
      expect((await s.request('/api/tasks/organisation', { token })).status).toBe(404);
      expect((await s.request('/api/tasks/organisation/history', { token })).status).toBe(404);
      // Nobody writes the organisation's record through the task routes.
      const forged = await s.send(token, 'organisation', { type: 'CHANGE_UNITS', addUnits: [{ name: '伪造单位', kind: 'group' }] });
      expect(forged.status).toBe(404);
    }
    expect((await units()).map((unit) => unit.name)).not.toContain('伪造单位');
  });
});
