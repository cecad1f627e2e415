import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';

describe('the organisation run from the web', () => {
  let server: TestServer;
  let admin: WebClient;

  beforeEach(async () => {
    server = await startTestServer();
    await server.duban.accounts.create({ login: 'root', displayName: '管理员', role: 'admin', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    admin = new WebClient(server.url);
    await admin.get('/login');
    await admin.post('/login', { login: 'root', password: PASSWORD });
  });
  afterEach(() => server.close());

  const newAccount = { login: 'dszq', displayName: '赵敏', role: 'unit-staff' as const, unit: '独山子区人民政府', phone: '', email: '' };

  it('given an admin, when they create a district government\'s staff, then a one-time code is shown once and the person sets a password with it', async () => {
    await admin.get('/admin/accounts');
    const created = await admin.post('/admin/accounts', newAccount);
    expect(created.status).toBe(200);
    const code = /一次性登录码：([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(textOf(created.body))![1]!;
    expect(textOf((await admin.get('/admin/accounts')).body)).not.toContain(code);

    const person = new WebClient(server.url);
    await person.get('/login/code');
    expect((await person.post('/login/code', { login: 'dszq', code, password: PASSWORD, password2: PASSWORD })).location).toBe('/mine');
    expect(textOf((await person.get('/mine')).body)).toContain('独山子区人民政府 赵敏');
  });

  it.each([
    ['a duplicate login name', { login: 'root' }, '已被使用'],
    ['an unknown unit', { unit: '市宇宙局' }, '单位名录中没有'],
    ['a collective', { unit: '各区人民政府' }, '代表多个单位'],
  ])('given %s, when an admin creates the account, then it is refused in Chinese with the typed values kept, and nothing is made', async (_what, change, message) => {
    await admin.get('/admin/accounts');
    const refused = await admin.post('/admin/accounts', { ...newAccount, ...change });
    expect(refused.status).toBe(422);
    expect(textOf(refused.body)).toContain(message);
    expect(refused.body).toContain('value="赵敏"');
    expect(await server.duban.accounts.list()).toHaveLength(1);
  });

  it('given admin forms, when they are posted without the session\'s form token or from another origin, then they are refused and nothing changes', async () => {
    const account = await server.duban.accounts.create({ ...newAccount, password: PASSWORD }, server.clock.now());
    await admin.get('/admin/accounts');
    for (const path of ['/admin/accounts', `/admin/accounts/${account.id}`, `/admin/accounts/${account.id}/disable`, `/admin/accounts/${account.id}/reset`]) {
      expect((await admin.post(path, { ...newAccount, login: 'other', unit: '市水务局' }, { csrf: 'forged' })).status, path).toBe(403);
      await admin.get('/admin/accounts');
      expect((await admin.post(path, { ...newAccount, login: 'other', unit: '市水务局' }, { origin: 'http://evil.example' })).status, path).toBe(403);
      await admin.get('/admin/accounts');
    }
    expect(await server.duban.accounts.list()).toHaveLength(2);
    expect(await server.duban.accounts.get(account.id)).toMatchObject({ unit: '独山子区人民政府', disabledAt: null });
    expect(await server.db.selectFrom('account_reset').selectAll().execute()).toHaveLength(0);
  });

  it('given a signed-in person, when the admin moves them to another unit and then disables them, then their session ends at once each time', async () => {
    const account = await server.duban.accounts.create({ ...newAccount, password: PASSWORD, mustChangePassword: false }, server.clock.now());
    const person = new WebClient(server.url);
    const signIn = async () => {
      await person.get('/login');
      await person.post('/login', { login: 'dszq', password: PASSWORD });
    };
    await signIn();
    await admin.get('/admin/accounts');
    const moved = await admin.post(`/admin/accounts/${account.id}`, { role: 'unit-staff', unit: '克拉玛依区人民政府' });
    expect(textOf(moved.body)).toContain('其登录会话和令牌已全部结束');
    expect((await person.get('/mine')).location).toMatch(/^\/login/);
    await signIn();
    expect(textOf((await person.get('/mine')).body)).toContain('克拉玛依区人民政府 赵敏');
    await admin.post(`/admin/accounts/${account.id}/disable`, {});
    expect((await person.get('/mine')).location).toMatch(/^\/login/);
  });

  it('given a unit\'s staff, when they open the admin page, then it is forbidden', async () => {
    await server.duban.accounts.create({ ...newAccount, password: PASSWORD, mustChangePassword: false }, server.clock.now());
    const person = new WebClient(server.url);
    await person.get('/login');
    await person.post('/login', { login: 'dszq', password: PASSWORD });
    expect((await person.get('/admin/accounts')).status).toBe(403);
  });
});
