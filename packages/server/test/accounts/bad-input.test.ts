import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../../src/accounts/sign-in-throttle.ts';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';

describe('bad input to people\'s sign-in and the organisation\'s forms', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ trustProxy: 'loopback' });
  });
  afterEach(() => server.close());

  const make = (login: string, role: 'unit-staff' | 'admin' | 'office-staff' = 'unit-staff', unit: string | null = '市水务局') =>
    server.duban.accounts.create({ login, displayName: login, role, unit, password: PASSWORD, mustChangePassword: false }, server.clock.now());
  const signIn = async (login: string, headers: Record<string, string> = {}) => {
    const browser = new WebClient(server.url);
    await browser.get('/login', headers);
    await browser.post('/login', { login, password: PASSWORD }, { headers });
    return browser;
  };

  it('given 1,000 failed sign-ins within a minute from one address, and 1,000 at one name from as many addresses, when they arrive, then all but the first few are refused with 429 in Chinese before any password is checked, and others still sign in and are served', async () => {
    await make('wangli');
    await make('office1', 'office-staff', null);
    const attacker = new WebClient(server.url);
    await attacker.get('/login', { 'X-Forwarded-For': '203.0.113.9' });
    const csrf = attacker.csrf()!;
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => attacker.post('/login', { login: `guess${batch * 50 + i}`, password: 'wrong-password' }, { csrf, headers: { 'X-Forwarded-For': '203.0.113.9' } })),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.perAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1000 - SIGN_IN_LIMITS.perAddress);
    expect(textOf(attacker.last!.body)).toContain('此地址登录尝试过于频繁');
    expect(attacker.last!.headers.get('retry-after')).toBe('60');

    const atOneName: number[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const address = { 'X-Forwarded-For': `198.51.${batch}.${i + 1}` };
          return attacker.post('/login', { login: 'wangli', password: 'wrong-password' }, { csrf, headers: address });
        }),
      );
      atOneName.push(...answers.map((a) => a.status));
    }
    expect(atOneName.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.perAccount);
    expect(atOneName.filter((s) => s === 429)).toHaveLength(1000 - SIGN_IN_LIMITS.perAccount);

    // Nobody got in; a colleague elsewhere signs in, and the server answers the API meanwhile.
    expect(await server.db.selectFrom('web_session').selectAll().execute()).toEqual([]);
    const colleague = await signIn('office1', { 'X-Forwarded-For': '192.0.2.77' });
    expect((await colleague.get('/dashboard')).status).toBe(200);
    expect((await server.request('/api/tasks?limit=1', { token: await server.token('office') })).status).toBe(200);
  }, 180_000);

  it('given a one-time code, when it is used late, or with a weak password, then each is refused in Chinese; the weak try leaves the code usable', async () => {
    const account = await server.duban.accounts.create({ login: 'dszq', displayName: '赵敏', role: 'unit-staff', unit: '独山子区人民政府' }, server.clock.now());
    const { code } = await server.duban.accounts.issueResetCode(account.id, server.clock.now());
    const browser = new WebClient(server.url);
    await browser.get('/login/code');
    const weak = await browser.post('/login/code', { login: 'dszq', code, password: 'dszq123456', password2: 'dszq123456' });
    expect(weak.status).toBe(422);
    expect(textOf(weak.body)).toContain('密码不能包含登录名');
    server.clock.advance(25 * 3_600_000);
    await browser.get('/login/code');
    const late = await browser.post('/login/code', { login: 'dszq', code, password: PASSWORD, password2: PASSWORD });
    expect(late.status).toBe(401);
    expect(textOf(late.body)).toContain('一次性登录码无效、已使用或已过期');
    expect((await server.duban.accounts.get(account.id))?.hasPassword).toBe(false);
    expect(await server.db.selectFrom('web_session').selectAll().execute()).toEqual([]);
  });

  it('given every form an admin and a person post, when each is posted with a forged form token or from another origin, then each is refused (403) and nothing changes', async () => {
    await make('root', 'admin', null);
    const target = await make('dszq', 'unit-staff', '独山子区人民政府');
    await server.duban.accounts.setDisabled(target.id, true, server.clock.now());
    const admin = await signIn('root');
    const forms: [string, Record<string, string>][] = [
      ['/admin/accounts', { login: 'other', displayName: '某某', role: 'unit-staff', unit: '市水务局' }],
      [`/admin/accounts/${target.id}`, { role: 'unit-staff', unit: '市水务局' }],
      [`/admin/accounts/${target.id}/disable`, {}],
      [`/admin/accounts/${target.id}/enable`, {}],
      [`/admin/accounts/${target.id}/reset`, {}],
      ['/account/password', { current: PASSWORD, password: 'Another-pass-9', password2: 'Another-pass-9' }],
      ['/account/sessions/end', { session: '0123456789abcdef' }],
      ['/logout', {}],
    ];
    for (const [path, form] of forms) {
      await admin.get('/admin/accounts');
      expect((await admin.post(path, form, { csrf: 'forged' })).status, `${path} forged`).toBe(403);
      await admin.get('/admin/accounts');
      expect((await admin.post(path, form, { origin: 'http://evil.example' })).status, `${path} cross-origin`).toBe(403);
      await admin.get('/admin/accounts');
      expect((await admin.post(path, form, { origin: null })).status, `${path} no origin`).toBe(403);
    }
    expect(await server.duban.accounts.list()).toHaveLength(2);
    expect(await server.duban.accounts.get(target.id)).toMatchObject({ unit: '独山子区人民政府', disabledAt: expect.any(String) });
    expect(await server.db.selectFrom('account_reset').selectAll().execute()).toEqual([]);
    await server.duban.accounts.checkSignIn('root', PASSWORD);
    expect((await admin.get('/admin/accounts')).status).toBe(200);
  });
});
