import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { AccountError } from '../../../accounts/account-error.ts';
import { principalOfAccount } from '../../../accounts/account-store.ts';
import { countSignInAttempt } from '../../../accounts/sign-in-throttle.ts';
import type { Principal } from '../../../auth/principal.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { readCookie, writeCookie } from '../../session/cookies.ts';
import { CSRF_FIELD, checkSameOrigin, sameSecret } from '../../session/csrf.ts';
import { formOf } from '../../forms/form-body.ts';
import { startPage } from '../../view/layout.ts';
import { loginPage } from '../../pages/login-page.ts';
import type { LoginField } from '../../pages/login-page.ts';
import { codeSignInPage } from '../../accounts/code-sign-in-page.ts';
import { SESSION_TTL_MS } from '../../session/session-store.ts';
import type { SessionVia } from '../../session/session-store.ts';
import { loginQuery } from '../../web-queries.ts';
import { requireViewer, safeNext, SESSION_COOKIE, signedIn, viewerOf } from '../../session/web-viewer.ts';

/** The cookie that ties the sign-in forms to the browser that fetched them (there is no session yet). */
const LOGIN_COOKIE = 'duban_login';
const LOGIN_COOKIE_SECONDS = 3600;

function loginToken(req: Request, res: Response): string {
  const existing = readCookie(req, LOGIN_COOKIE);
  if (existing !== undefined && existing.length === 43) return existing;
  const fresh = randomBytes(32).toString('base64url');
  writeCookie(req, res, LOGIN_COOKIE, fresh, { maxAgeSeconds: LOGIN_COOKIE_SECONDS, path: '/login' });
  return fresh;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The HTTP status of a refused sign-in. */
const statusOf = (error: AccountError) => (error.field === 'rate' ? 429 : error.field === 'code' || error.field === 'password' || error.field === 'login' ? 401 : 422);

/**
 * `GET /` (to the viewer's start page, or sign-in), `GET|POST /login` (an account's login name and
 * password, or an API token, opens a session: HttpOnly SameSite=Strict cookie, Secure over HTTPS),
 * `GET|POST /login/code` (a one-time code from an admin sets the password and opens a session) and
 * `POST /logout` (the session ends on the server). Every sign-in post is checked for this origin and
 * the sign-in form's token; attempts by password or code count per address and per login name.
 */
export const sessionRoutes: RouteModule = (deps) => (router) => {
  const { tokens, accounts, sessions, clock, signInLimits } = deps;
  const ssoLabel = deps.sso.label === undefined ? {} : { ssoLabel: deps.sso.label };

  const openSession = async (req: Request, res: Response, principal: Principal, next: string | undefined, mustChange = false, via: SessionVia = principal.tokenId === 0 ? 'password' : 'token') => {
    const session = await sessions.create(principal, clock.now(), req.ip, via);
    writeCookie(req, res, SESSION_COOKIE, session.id, { maxAgeSeconds: SESSION_TTL_MS / 1000 });
    writeCookie(req, res, LOGIN_COOKIE, '', { maxAgeSeconds: 0, path: '/login' });
    res.redirect(303, mustChange ? '/account' : (next ?? startPage(principal.role)));
  };

  /** The sign-in form's anti-forgery check; false (and the page answered) when it fails. */
  const formChecked = (req: Request, res: Response, form: Record<string, unknown>, page: (csrf: string) => string): boolean => {
    checkSameOrigin(req);
    const expected = readCookie(req, LOGIN_COOKIE);
    if (expected !== undefined && sameSecret(form[CSRF_FIELD], expected)) return true;
    res.status(403).type('html').send(page(loginToken(req, res)));
    return false;
  };

  router.get('/', (_req, res) => {
    const viewer = viewerOf(res);
    res.redirect(303, viewer === undefined ? '/login' : startPage(viewer.principal.role));
  });

  router.get('/login', (req, res) => {
    const query = validateInput(loginQuery, req.query, 'query');
    const viewer = viewerOf(res);
    if (viewer !== undefined) {
      res.redirect(303, safeNext(query.next) ?? startPage(viewer.principal.role));
      return;
    }
    res.type('html').send(loginPage({ csrf: loginToken(req, res), next: safeNext(query.next), ...ssoLabel }).text);
  });

  router.post('/login', async (req, res) => {
    const form = formOf(req.body);
    const next = safeNext(form['next']);
    const byToken = form['token'] !== undefined;
    const expired = byToken ? '登录页面已过期，请重新输入令牌并提交。' : '登录页面已过期，请重新输入登录名和密码。';
    if (!formChecked(req, res, form, (csrf) => loginPage({ csrf, next, error: expired, ...ssoLabel }).text)) return;
    const csrf = readCookie(req, LOGIN_COOKIE)!;
    const refuse = (status: number, error: string, field: LoginField, login?: string) =>
      res.status(status).type('html').send(loginPage({ csrf, next, error, field, ...ssoLabel, ...(login === undefined ? {} : { login }) }).text);
    if (byToken) {
      const token = text(form['token']).trim();
      const principal = token === '' ? undefined : await tokens.authenticate(token, clock.now());
      if (principal === undefined) return refuse(401, '令牌无效、已撤销或格式不正确，请核对后重试。', 'token');
      return openSession(req, res, principal, next);
    }
    const login = text(form['login']).trim();
    if (login === '' || text(form['password']) === '') return refuse(422, '请输入登录名和密码。', login === '' ? 'login' : 'password', login);
    try {
      await countSignInAttempt(signInLimits, req.ip ?? 'unknown', login, clock.now());
      const account = await accounts.checkSignIn(login, text(form['password']));
      return openSession(req, res, principalOfAccount(account), next, account.mustChangePassword);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.field === 'rate') res.setHeader('Retry-After', '60');
      return refuse(statusOf(error), error.message, error.field === 'password' ? 'password' : 'login', login);
    }
  });

  router.get('/login/code', (req, res) => {
    res.type('html').send(codeSignInPage({ csrf: loginToken(req, res) }).text);
  });

  router.post('/login/code', async (req, res) => {
    const form = formOf(req.body);
    const login = text(form['login']).trim();
    if (!formChecked(req, res, form, (csrf) => codeSignInPage({ csrf, login, error: '页面已过期，请重新填写并提交。' }).text)) return;
    const csrf = readCookie(req, LOGIN_COOKIE)!;
    try {
      if (text(form['password']) !== text(form['password2'])) throw new AccountError('password2', '两次输入的新密码不一致。');
      await countSignInAttempt(signInLimits, req.ip ?? 'unknown', login, clock.now());
      const account = await accounts.redeemResetCode(login, text(form['code']), text(form['password']), clock.now());
      return openSession(req, res, principalOfAccount(account), undefined, false, 'code');
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      // A code that is wrong, spent or late, or a disabled account: 401; a new password the policy refuses (or typed twice unlike): 422.
      const status = error.field === 'rate' ? 429 : error.field === 'code' || error.field === 'login' ? 401 : 422;
      return res.status(status).type('html').send(codeSignInPage({ csrf, login, error: error.message, field: error.field }).text);
    }
  });

  router.post('/logout', requireViewer(), async (req, res) => {
    await sessions.destroy(signedIn(res).sessionId);
    writeCookie(req, res, SESSION_COOKIE, '', { maxAgeSeconds: 0 });
    res.redirect(303, '/login');
  });
};
