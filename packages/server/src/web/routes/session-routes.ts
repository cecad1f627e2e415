import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { RouteModule } from '../../app/app-deps.ts';
import { validateInput } from '../../http/validate-input.ts';
import { readCookie, writeCookie } from '../session/cookies.ts';
import { CSRF_FIELD, checkSameOrigin, sameSecret } from '../session/csrf.ts';
import { formOf } from '../forms/form-body.ts';
import { startPage } from '../view/layout.ts';
import { loginPage } from '../pages/login-page.ts';
import { SESSION_TTL_MS } from '../session/session-store.ts';
import { loginQuery } from '../web-queries.ts';
import { requireViewer, safeNext, SESSION_COOKIE, signedIn, viewerOf } from '../session/web-viewer.ts';

/** The cookie that ties the sign-in form to the browser that fetched it (there is no session yet). */
const LOGIN_COOKIE = 'duban_login';
const LOGIN_COOKIE_SECONDS = 3600;

function loginToken(req: Request, res: Response): string {
  const existing = readCookie(req, LOGIN_COOKIE);
  if (existing !== undefined && existing.length === 43) return existing;
  const fresh = randomBytes(32).toString('base64url');
  writeCookie(req, res, LOGIN_COOKIE, fresh, { maxAgeSeconds: LOGIN_COOKIE_SECONDS, path: '/login' });
  return fresh;
}

/**
 * `GET /` (to the viewer's start page, or sign-in), `GET|POST /login` (a token opens a session:
 * HttpOnly SameSite=Strict cookie, Secure over HTTPS) and `POST /logout`.
 */
export const sessionRoutes: RouteModule = (deps) => (router) => {
  const { tokens, sessions, clock } = deps;

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
    res.type('html').send(loginPage({ csrf: loginToken(req, res), next: safeNext(query.next) }).text);
  });

  router.post('/login', async (req, res) => {
    checkSameOrigin(req);
    const form = formOf(req.body);
    const next = safeNext(form['next']);
    const expected = readCookie(req, LOGIN_COOKIE);
    if (expected === undefined || !sameSecret(form[CSRF_FIELD], expected)) {
      res.status(403).type('html').send(loginPage({ csrf: loginToken(req, res), next, error: '登录页面已过期，请重新输入令牌并提交。' }).text);
      return;
    }
    const token = typeof form['token'] === 'string' ? form['token'].trim() : '';
    const principal = token === '' ? undefined : await tokens.authenticate(token, clock.now());
    if (principal === undefined) {
      res.status(401).type('html').send(loginPage({ csrf: expected, next, error: '令牌无效、已撤销或格式不正确，请核对后重试。' }).text);
      return;
    }
    const session = await sessions.create(principal, clock.now());
    writeCookie(req, res, SESSION_COOKIE, session.id, { maxAgeSeconds: SESSION_TTL_MS / 1000 });
    writeCookie(req, res, LOGIN_COOKIE, '', { maxAgeSeconds: 0, path: '/login' });
    res.redirect(303, next ?? startPage(principal.role));
  });

  router.post('/logout', requireViewer(), async (req, res) => {
    await sessions.destroy(signedIn(res).sessionId);
    writeCookie(req, res, SESSION_COOKIE, '', { maxAgeSeconds: 0 });
    res.redirect(303, '/login');
  });
};
