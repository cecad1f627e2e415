import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ssoOption } from '../../src/cli/sso-option.ts';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { CrossSiteBrowser, startTestProvider } from '../support/oidc-test-provider.ts';
import type { Landing, TestProvider } from '../support/oidc-test-provider.ts';
import { textOf } from '../web/support/web-client.ts';

/** The identity platform's people: 王力 and 赵敏 have accounts (one later disabled); 陌生人 has none. */
const PEOPLE = [
  { sub: 'sub-wangli', preferred_username: 'wangli', name: '王力', staff_no: 'kmy-0007' },
  { sub: 'sub-zhaomin', preferred_username: 'zhaomin', name: '赵敏' },
  { sub: 'sub-stranger', preferred_username: 'stranger', name: '陌生人' },
  { sub: 'sub-impostor', preferred_username: 'wangli', name: '另一个王力' },
];

describe('single sign-on through a real OpenID provider (统一身份认证)', () => {
  let provider: TestProvider;
  let server: TestServer;
  let browser: CrossSiteBrowser;

  const start = async (claim = 'preferred_username') => {
    provider = await startTestProvider({ people: PEOPLE });
    server = await startTestServer({ sso: { issuer: new URL(provider.issuer), clientId: provider.clientId, clientSecret: provider.clientSecret, claim } });
    provider.register(`${server.url}/login/sso/callback`);
    const at = server.clock.now();
    await server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市水务局' }, at);
    await server.duban.accounts.create({ login: 'zhaomin', displayName: '赵敏', role: 'office-staff', password: 'Karamay-2023-ok' }, at);
    await server.duban.accounts.create({ login: 'kmy-0007', displayName: '王力（工号）', role: 'reviewer' }, at);
  };

  beforeEach(() => {
    browser = new CrossSiteBrowser();
  });
  afterEach(async () => {
    await server?.close();
    await provider?.close();
  });

  const callback = () => `${server.url}/login/sso/callback`;

  /**
   * Walks from duban's sign-in button through the provider's login and consent pages as `sub`, up to
   * the redirect back to duban's callback (not followed): the callback URL the provider sent.
   */
  const walkTo = async (sub: string): Promise<string> => {
    let landing: Landing = await browser.get(`${server.url}/login/sso`, callback());
    for (let step = 0; step < 6; step += 1) {
      const location = landing.headers.get('location');
      if (location?.startsWith(callback())) return location;
      const action = /<form[^>]*action="([^"]+)"/.exec(landing.body)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(landing.body)?.[1];
      if (action === undefined || prompt === undefined) throw new Error(`the provider answered ${landing.status} at ${landing.url}: ${landing.body.slice(0, 300)}`);
      const form: Record<string, string> = prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt };
      landing = await browser.post(new URL(action, landing.url).href, form, callback());
    }
    throw new Error('the provider never sent the browser back');
  };

  const sessions = () => server.db.selectFrom('web_session').selectAll().execute();

  it('given a provider configured, when a unit\'s staff signs in through it, then they land signed in on their start page with the same kind of session a password opens, without being asked to set a password', async () => {
    await start();
    const login = await browser.get(`${server.url}/login`);
    expect(login.body).toMatch(/<a class="button" href="\/login\/sso">使用统一身份认证登录<\/a>/);

    const sent = await walkTo('sub-wangli');
    expect(new URL(sent).searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    const landed = await browser.get(sent);
    expect(landed.status).toBe(200);
    expect(landed.headers.get('refresh')).toBe('0; url=/mine');
    expect(textOf(landed.body)).toContain('王力，您已通过统一身份认证登录');
    const mine = await browser.get(`${server.url}/mine`);
    expect(mine.status).toBe(200);
    expect(textOf(mine.body)).toContain('市水务局 王力');
    expect(await sessions()).toMatchObject([{ token_id: 0, account_id: 1, via: 'sso' }]);
    expect(await server.db.selectFrom('sso_link').select(['issuer', 'subject', 'account_id']).execute()).toEqual([{ issuer: provider.issuer, subject: 'sub-wangli', account_id: 1 }]);
    expect(await server.db.selectFrom('sso_pending').selectAll().execute()).toEqual([]);

    // What the provider was asked: the code with a PKCE challenge (S256), a state and a nonce.
    const asked = new URL((await new CrossSiteBrowser().peek(`${server.url}/login/sso`)).headers.get('location')!).searchParams;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(asked.get('response_type')).toBe('code');
  });

  it('given a custom claim configured (a staff number), when a person signs in, then the account of that login name opens', async () => {
    await start('staff_no');
    const landed = await browser.get(await walkTo('sub-wangli'));
    expect(landed.headers.get('refresh')).toBe('0; url=/audit');
    expect(textOf(landed.body)).toContain('王力（工号）');
  });

  it('given the callback with another state than the one sent, when it arrives, then it is refused in Chinese and no session opens', async () => {
    await start();
    const sent = new URL(await walkTo('sub-wangli'));
    sent.searchParams.set('state', 'a-state-this-browser-never-sent-000000000000');
    const refused = await browser.get(sent.href);
    expect(refused.status).toBe(401);
    expect(textOf(refused.body)).toContain('统一身份认证的登录结果未通过校验');
    expect(browser.cookie(server.url, 'duban_session')).toBeUndefined();
    expect(await sessions()).toEqual([]);
  });

  it('given a signed-in person, when the provider\'s answer is replayed (the same callback, or its code under a new sign-in), then each is refused and opens no second session', async () => {
    await start();
    const sent = await walkTo('sub-wangli');
    expect((await browser.get(sent)).status).toBe(200);

    const again = await browser.get(sent);
    expect(again.status).toBe(401);
    expect(textOf(again.body)).toContain('本次统一身份认证登录已失效');

    // A new sign-in of this browser, answered with the old code under the new state.
    const fresh = new URL(await walkTo('sub-wangli'));
    fresh.searchParams.set('code', new URL(sent).searchParams.get('code')!);
    const replayed = await browser.get(fresh.href);
    expect(replayed.status).toBe(401);
    expect(textOf(replayed.body)).toContain('未通过校验');
    expect(await sessions()).toHaveLength(1);
  });

  it('given the callback in a browser that did not start the sign-in, when it arrives, then it is refused', async () => {
    await start();
    const sent = await walkTo('sub-wangli');
    const other = new CrossSiteBrowser();
    const refused = await other.get(sent);
    expect(refused.status).toBe(401);
    expect(await sessions()).toEqual([]);
  });

  it('given a disabled account, an identity with no account, and a second identity claiming a linked login name, when each signs in, then each is refused in Chinese (403) and no session opens', async () => {
    await start();
    const zhaomin = (await server.duban.accounts.byLogin('zhaomin'))!;
    await server.duban.accounts.setDisabled(zhaomin.id, true, server.clock.now());
    const disabled = await browser.get(await walkTo('sub-zhaomin'));
    expect(disabled.status).toBe(403);
    expect(textOf(disabled.body)).toContain('统一身份认证账号“zhaomin”对应的账号已停用');

    browser = new CrossSiteBrowser();
    const stranger = await browser.get(await walkTo('sub-stranger'));
    expect(stranger.status).toBe(403);
    expect(textOf(stranger.body)).toContain('统一身份认证账号“stranger”在本系统中没有对应的账号');

    browser = new CrossSiteBrowser();
    expect((await browser.get(await walkTo('sub-wangli'))).status).toBe(200);
    browser = new CrossSiteBrowser();
    const impostor = await browser.get(await walkTo('sub-impostor'));
    expect(impostor.status).toBe(403);
    expect(await sessions()).toHaveLength(1);
  });

  it('given a page asked for before signing in, when the person signs in through the provider, then they land on that page', async () => {
    await start();
    const login = await browser.get(`${server.url}/login?next=${encodeURIComponent('/tasks?light=red')}`);
    expect(login.body).toContain('href="/login/sso?next=%2Ftasks%3Flight%3Dred"');
    let landing = await browser.get(`${server.url}/login/sso?next=${encodeURIComponent('/tasks?light=red')}`, callback());
    for (let step = 0; step < 6 && !(landing.headers.get('location') ?? '').startsWith(callback()); step += 1) {
      const action = /<form[^>]*action="([^"]+)"/.exec(landing.body)![1]!;
      const prompt = /name="prompt" value="(\w+)"/.exec(landing.body)![1]!;
      landing = await browser.post(new URL(action, landing.url).href, prompt === 'login' ? { prompt, login: 'sub-wangli', password: 'any' } : { prompt }, callback());
    }
    expect((await browser.get(landing.headers.get('location')!)).headers.get('refresh')).toBe('0; url=/tasks?light=red');
  });

  it('given a provider that cannot be reached, when one starts single sign-on, then a Chinese page says so (502) and the password sign-in still works', async () => {
    provider = await startTestProvider({ people: PEOPLE });
    const issuer = provider.issuer;
    await provider.close();
    server = await startTestServer({ sso: { issuer: new URL(issuer), clientId: 'duban', clientSecret: 'secret', claim: 'preferred_username' } });
    await server.duban.accounts.create({ login: 'zhaomin', displayName: '赵敏', role: 'office-staff', password: 'Karamay-2023-ok', mustChangePassword: false }, server.clock.now());
    const refused = await browser.get(`${server.url}/login/sso`);
    expect(refused.status).toBe(502);
    expect(textOf(refused.body)).toContain('暂时无法连接统一身份认证平台');
    expect(await server.db.selectFrom('sso_pending').selectAll().execute()).toEqual([]);
  });

  it('given no provider configured, when one asks for single sign-on, then there is no button and its routes are not found', async () => {
    server = await startTestServer();
    const login = await browser.get(`${server.url}/login`);
    expect(login.body).not.toContain('/login/sso');
    expect((await browser.get(`${server.url}/login/sso`)).status).toBe(404);
    expect((await browser.get(`${server.url}/login/sso/callback?code=x&state=y`)).status).toBe(404);
  });
});

describe('serve\'s single sign-on flags and variables', () => {
  const secretFile = async (text: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-sso-'));
    const file = join(dir, 'client-secret');
    await writeFile(file, text, { mode: 0o600 });
    return file;
  };

  it('given no issuer, when serve reads its flags, then single sign-on is off; a client id alone is refused', async () => {
    expect(await ssoOption({}, {})).toBeUndefined();
    await expect(ssoOption({ 'oidc-client-id': 'duban' }, {})).rejects.toThrow(/--oidc-client-id given without --oidc-issuer/);
  });

  it('given every flag, or the variables instead, when serve reads them, then the secret comes from its file without its line break', async () => {
    const file = await secretFile('s3cret-of-the-client\n');
    const fromFlags = await ssoOption({ 'oidc-issuer': 'https://idp.example.gov.cn/realms/kmy', 'oidc-client-id': 'duban', 'oidc-client-secret-file': file, 'oidc-claim': 'preferred_username' }, {});
    expect(fromFlags).toMatchObject({ clientId: 'duban', clientSecret: 's3cret-of-the-client', claim: 'preferred_username' });
    expect(fromFlags?.issuer.href).toBe('https://idp.example.gov.cn/realms/kmy');
    const fromEnv = await ssoOption({}, { DUBAN_OIDC_ISSUER: 'http://127.0.0.1:9000', DUBAN_OIDC_CLIENT_ID: 'duban', DUBAN_OIDC_CLIENT_SECRET_FILE: file, DUBAN_OIDC_CLAIM: 'staff_no', DUBAN_OIDC_REDIRECT_URI: 'https://duban.example.gov.cn/login/sso/callback' });
    expect(fromEnv?.redirectUri?.href).toBe('https://duban.example.gov.cn/login/sso/callback');
  });

  it.each([
    [{ 'oidc-issuer': 'http://idp.example.gov.cn' }, /must be an https URL/],
    [{ 'oidc-issuer': 'not a url' }, /must be an http\(s\) URL/],
    [{ 'oidc-issuer': 'https://idp.example.gov.cn' }, /also needs --oidc-client-id \(or DUBAN_OIDC_CLIENT_ID\), --oidc-client-secret-file/],
    [{ 'oidc-issuer': 'https://idp.example.gov.cn', 'oidc-client-id': 'd', 'oidc-client-secret-file': '/nonexistent/secret', 'oidc-claim': 'a b' }, /must be a claim name/],
  ])('given %o, when serve reads it, then it is refused naming the flag', async (values, message) => {
    await expect(ssoOption(values, {})).rejects.toThrow(message);
  });

  it('given a secret file that is missing or empty, when serve reads it, then it is refused naming the file', async () => {
    const flags = { 'oidc-issuer': 'https://idp.example.gov.cn', 'oidc-client-id': 'duban', 'oidc-claim': 'preferred_username' };
    await expect(ssoOption({ ...flags, 'oidc-client-secret-file': '/nonexistent/secret' }, {})).rejects.toThrow(/no such file/);
    await expect(ssoOption({ ...flags, 'oidc-client-secret-file': await secretFile('\n') }, {})).rejects.toThrow(/is empty/);
  });
});
