import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../../src/accounts/sign-in-throttle.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';
/** Task 7 is led by 市水务局; task 8 is none of its. */
const OWN = taskId(7);
const OTHERS = taskId(8);

describe('people signing in to the web pages with their accounts', () => {
  let server: TestServer;
  let browser: WebClient;

  beforeEach(async () => {
    server = await startTestServer({ trustProxy: 'loopback' });
    browser = new WebClient(server.url);
  });
  afterEach(() => server.close());

  const makeAccount = (mustChangePassword = false) =>
    server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市水务局', password: PASSWORD, mustChangePassword }, server.clock.now());
  const signIn = async (client: WebClient, password = PASSWORD, headers: Record<string, string> = {}) => {
    await client.get('/login', headers);
    return client.post('/login', { login: 'wangli', password }, { headers });
  };

  it('given a unit\'s staff, when they sign in with their password, then they see their unit\'s tasks only, and their name in the header', async () => {
    await makeAccount();
    const answer = await signIn(browser);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/mine');
    const mine = await browser.get('/mine');
    expect(mine.status).toBe(200);
    expect(textOf(mine.body)).toContain('市水务局 王力');
    expect((await browser.get(`/tasks/${OWN}`)).status).toBe(200);
    expect((await browser.get(`/tasks/${OTHERS}`)).status).toBe(404);
    const rows = await server.db.selectFrom('web_session').selectAll().execute();
    expect(rows).toMatchObject([{ token_id: 0, account_id: 1 }]);
  });

  it('given an account that must change its password, when it signs in, then it reaches only its account page until it changes it; a weak new one is refused', async () => {
    await makeAccount(true);
    expect((await signIn(browser)).location).toBe('/account');
    expect((await browser.get('/mine')).location).toBe('/account');
    await browser.get('/account');
    const weak = await browser.post('/account/password', { current: PASSWORD, password: 'wangli-2023', password2: 'wangli-2023' });
    expect(weak.status).toBe(422);
    expect(textOf(weak.body)).toContain('密码不能包含登录名');
    const mismatch = await browser.post('/account/password', { current: PASSWORD, password: 'New-pass-2023', password2: 'New-pass-2024' });
    expect(textOf(mismatch.body)).toContain('两次输入的新密码不一致');
    expect((await browser.get('/mine')).location).toBe('/account');
    await browser.get('/account');
    const changed = await browser.post('/account/password', { current: PASSWORD, password: 'New-pass-2023', password2: 'New-pass-2023' });
    expect(changed.status).toBe(200);
    expect(textOf(changed.body)).toContain('密码已修改');
    expect((await browser.get('/mine')).status).toBe(200);
    await server.duban.accounts.checkSignIn('wangli', 'New-pass-2023');
  });

  it('given a wrong password, when one signs in, then it is refused in Chinese and no session opens', async () => {
    await makeAccount();
    const answer = await signIn(browser, 'not-the-password');
    expect(answer.status).toBe(401);
    expect(textOf(answer.body)).toContain('登录名或密码不正确');
    expect(browser.cookie('duban_session')).toBeUndefined();
    expect(await server.db.selectFrom('web_session').selectAll().execute()).toHaveLength(0);
  });

  it('when a password sign-in is posted from another origin or without the form token, then it is refused and no session opens', async () => {
    await makeAccount();
    await browser.get('/login');
    expect((await browser.post('/login', { login: 'wangli', password: PASSWORD }, { origin: 'http://evil.example' })).status).toBe(403);
    await browser.get('/login');
    const stale = await browser.post('/login', { login: 'wangli', password: PASSWORD }, { csrf: 'stale' });
    expect(stale.status).toBe(403);
    expect(textOf(stale.body)).toContain('登录页面已过期');
    expect(browser.cookie('duban_session')).toBeUndefined();
  });

  it('given many failed sign-ins from one address, when the limit is passed, then even the right password is refused there in Chinese, and others still sign in', async () => {
    await makeAccount();
    await server.duban.accounts.create({ login: 'office1', displayName: '李督查', role: 'office-staff', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    const attacker = { 'X-Forwarded-For': '203.0.113.9' };
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i += 1) {
      await browser.get('/login', attacker);
      await browser.post('/login', { login: `guess${i}`, password: 'wrong-password' }, { headers: attacker });
    }
    const blocked = await signIn(browser, PASSWORD, attacker);
    expect(blocked.status).toBe(429);
    expect(textOf(blocked.body)).toContain('此地址登录尝试过于频繁');
    expect(browser.cookie('duban_session')).toBeUndefined();

    const colleague = new WebClient(server.url);
    await colleague.get('/login');
    expect((await colleague.post('/login', { login: 'office1', password: PASSWORD })).location).toBe('/dashboard');
  });

  it('given a signed-in person, when they sign out, then the replayed cookie opens nothing', async () => {
    await makeAccount();
    await signIn(browser);
    await browser.get('/mine');
    const id = browser.cookie('duban_session')!;
    expect((await browser.post('/logout', {})).location).toBe('/login');
    browser.setCookie('duban_session', id);
    expect((await browser.get('/mine')).location).toMatch(/^\/login/);
  });

  it('given a person signed in on two browsers, when they end the other session from 我的账号, then that browser is signed out', async () => {
    await makeAccount();
    const other = new WebClient(server.url);
    await signIn(other);
    await signIn(browser);
    const page = await browser.get('/account');
    expect(textOf(page.body)).toContain('当前会话');
    const handle = /name="session" value="([0-9a-f]{16})"/.exec(page.body)![1]!;
    const ended = await browser.post('/account/sessions/end', { session: handle });
    expect(textOf(ended.body)).toContain('已结束该会话');
    expect((await other.get('/mine')).location).toMatch(/^\/login/);
    expect((await browser.get('/mine')).status).toBe(200);
    expect((await browser.post('/account/sessions/end', { session: handle })).status).toBe(404);
  });

  it('given a signed-in person, when an admin disables the account, then the next page asks them to sign in, and signing in is refused', async () => {
    const account = await makeAccount();
    await signIn(browser);
    await server.duban.accounts.setDisabled(account.id, true, server.clock.now());
    expect((await browser.get('/mine')).location).toMatch(/^\/login/);
    const again = await signIn(browser);
    expect(again.status).toBe(401);
    expect(textOf(again.body)).toContain('该账号已停用');
  });

  it('given a one-time code, when it is typed into the code form, then the password is set and a session opens; the same code a second time is refused', async () => {
    const account = await server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '独山子区人民政府' }, server.clock.now());
    const { code } = await server.duban.accounts.issueResetCode(account.id, server.clock.now());
    await browser.get('/login/code');
    const used = await browser.post('/login/code', { login: 'wangli', code, password: PASSWORD, password2: PASSWORD });
    expect(used.location).toBe('/mine');
    const second = new WebClient(server.url);
    await second.get('/login/code');
    const again = await second.post('/login/code', { login: 'wangli', code, password: 'Other-pass-2023', password2: 'Other-pass-2023' });
    expect(again.status).toBe(401);
    expect(textOf(again.body)).toContain('一次性登录码无效、已使用或已过期');
    await server.duban.accounts.checkSignIn('wangli', PASSWORD);
  });
});
