import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Units-2023-ok';

describe('单位管理: the unit registry run from the web', () => {
  let server: TestServer;
  let admin: WebClient;

  beforeEach(async () => {
    server = await startTestServer();
    await server.duban.accounts.create({ login: 'root', displayName: '管理员甲', role: 'admin', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    admin = new WebClient(server.url);
    await admin.get('/login');
    await admin.post('/login', { login: 'root', password: PASSWORD });
  });
  afterEach(() => server.close());

  const path = (name: string) => `/admin/units/${encodeURIComponent(name)}`;
  const unitRows = async () => ({
    units: await server.db.selectFrom('unit').selectAll().orderBy('name').execute(),
    aliases: await server.db.selectFrom('unit_alias').selectAll().orderBy('alias').execute(),
    members: await server.db.selectFrom('unit_member').selectAll().orderBy('collective').orderBy('position').execute(),
  });

  it('given an admin, when they open 单位管理 from the navigation, add a unit, give it an alias, take the alias away and make it a member of a collective, then the page shows each change and the log names the admin', async () => {
    const start = await admin.get('/admin/accounts');
    expect(start.body).toContain('href="/admin/units"');
    const list = await admin.get('/admin/units');
    expect(list.status).toBe(200);
    expect(textOf(list.body)).toContain('市住房公积金中心');

    const added = await admin.post('/admin/units', { name: '市数据局', kind: 'city-department', aliases: '市大数据中心\n市数据管理局', members: '' });
    expect(added.status).toBe(200);
    expect(textOf(added.body)).toContain('已新增单位“市数据局”');
    expect(await server.duban.units.canonical('市数据管理局')).toBe('市数据局');

    expect(textOf((await admin.post(`${path('市数据局')}/aliases`, { alias: '数据局' })).body)).toContain('已为“市数据局”添加别名');
    expect(textOf((await admin.post(`${path('市数据局')}/aliases/remove`, { alias: '市大数据中心' })).body)).toContain('已删除“市数据局”的别名');
    expect(server.duban.units.get('市大数据中心')).toBeUndefined();

    const collective = await admin.post('/admin/units', { name: '市数字政府专班', kind: 'collective', aliases: '', members: '市发改委' });
    expect(collective.status).toBe(200);
    const members = await admin.post(`${path('市数字政府专班')}/members`, { members: '市发改委\n数据局' });
    expect(textOf(members.body)).toContain('已保存“市数字政府专班”的成员单位');
    expect(server.duban.units.membersOf('市数字政府专班')).toEqual(['市发改委', '市数据局']);

    const entries = [];
    for await (const entry of server.engine.entries({ instanceId: 'organisation' })) entries.push(entry);
    const changes = entries.filter((entry) => entry.type === 'CHANGE_UNITS');
    expect(changes).toHaveLength(5);
    for (const entry of changes) expect(entry.actor).toMatchObject({ role: 'admin', account: { name: '管理员甲' } });
    expect(await server.engine.verify()).toMatchObject({ ok: true });
  });

  it.each([
    ['a name the registry has', '/admin/units', { name: '市发改委', kind: 'city-department', aliases: '', members: '' }, 409, 'new-unit-name-error', '单位名录中已有“市发改委”'],
    ['an alias that is another unit’s name', `/admin/units/${encodeURIComponent('市发改委')}/aliases`, { alias: '市财政局' }, 409, 'alias-0-error', '单位名录中已有“市财政局”'],
    ['an unknown member', `/admin/units/${encodeURIComponent('各区人民政府')}/members`, { members: '市宇宙局' }, 422, 'members-', '单位“市宇宙局”不在单位名录中'],
  ])('given %s, when the admin posts it, then the page comes back with the message beside the field, what was typed kept, and nothing changed', async (_what, target, form, status, errorId, message) => {
    await admin.get('/admin/units');
    const before = [await unitRows(), await server.auditCount()];
    const refused = await admin.post(target, form);
    expect(refused.status).toBe(status);
    expect(refused.body).toContain(`class="field-error" id="${errorId}`);
    expect(textOf(refused.body)).toContain(message);
    for (const typed of Object.values(form).filter((value) => value !== '' && value !== 'city-department')) expect(refused.body).toContain(typed);
    expect([await unitRows(), await server.auditCount()]).toEqual(before);
  });

  it('given the unit forms, when they are posted without the session\'s form token or from another origin, then they are refused and nothing changes', async () => {
    const before = [await unitRows(), await server.auditCount()];
    await admin.get('/admin/units');
    for (const [target, form] of [
      ['/admin/units', { name: '市某局', kind: 'group', aliases: '', members: '' }],
      [`${path('市发改委')}/aliases`, { alias: '发改' }],
      [`${path('市住房公积金管理中心')}/aliases/remove`, { alias: '市住房公积金中心' }],
      [`${path('市发改委')}/kind`, { kind: 'group' }],
      [`${path('各区人民政府')}/members`, { members: '市发改委' }],
    ] as const) {
      expect((await admin.post(target, form, { csrf: 'forged' })).status, target).toBe(403);
      await admin.get('/admin/units');
      expect((await admin.post(target, form, { origin: 'http://evil.example' })).status, target).toBe(403);
      await admin.get('/admin/units');
    }
    expect([await unitRows(), await server.auditCount()]).toEqual(before);
  });

  it('given a unit\'s staff and the office, when they open 单位管理 or post to it, then 403 and nothing changes', async () => {
    const before = await unitRows();
    for (const token of [await server.token('unit', '市水务局'), await server.token('office')]) {
      const person = new WebClient(server.url);
      await person.signIn(token);
      expect((await person.get('/admin/units')).status).toBe(403);
      expect((await person.post('/admin/units', { name: '市某局', kind: 'group', aliases: '', members: '' })).status).toBe(403);
    }
    expect(await unitRows()).toEqual(before);
  });
});
