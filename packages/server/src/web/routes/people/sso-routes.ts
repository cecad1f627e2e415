import type { RouteModule } from '../../../app/app-deps.ts';
import { principalOfAccount } from '../../../accounts/account-store.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { SSO_PENDING_MS, SsoUnavailable } from '../../../sso/single-sign-on.ts';
import type { SsoRefusal } from '../../../sso/single-sign-on.ts';
import { readCookie, writeCookie } from '../../session/cookies.ts';
import { SESSION_TTL_MS } from '../../session/session-store.ts';
import { safeNext, SESSION_COOKIE } from '../../session/web-viewer.ts';
import { ssoRefusedPage, ssoSignedInPage } from '../../accounts/sso-pages.ts';
import { startPage } from '../../view/layout.ts';

/** The cookie that ties a sign-in at the provider to the browser that started it. */
const SSO_COOKIE = 'duban_sso';
const SSO_PATH = '/login/sso';

/** The HTTP status of each refusal. */
const statusOf: Readonly<Record<SsoRefusal['reason'], number>> = { expired: 401, failed: 401, unknown: 403, disabled: 403, unavailable: 502 };

/**
 * Single sign-on through the configured OpenID provider (404 when none is): `GET /login/sso[?next=]`
 * sends the browser to the provider with a fresh state, nonce and PKCE challenge, bound to a
 * SameSite=Lax cookie (it must come back with the provider's redirect); `GET /login/sso/callback`
 * checks the answer (state, code with the verifier, the ID token's nonce), maps the identity to an
 * account and opens the same kind of session a password opens, or answers a Chinese page: 401 an
 * answer that does not check out or came late or twice, 403 no such account or a disabled one, 502
 * the provider out of reach. A refusal opens nothing and is logged in English.
 */
export const ssoRoutes: RouteModule = (deps) => (router) => {
  const { sso, sessions, clock, logger } = deps;

  router.get(SSO_PATH, async (req, res) => {
    if (sso.label === undefined) throw PAGE_NOT_FOUND;
    const next = safeNext(req.query['next']) ?? null;
    try {
      const { cookie, location } = await sso.begin(next, `${req.protocol}://${req.get('Host') ?? 'localhost'}`, clock.now());
      writeCookie(req, res, SSO_COOKIE, cookie, { maxAgeSeconds: SSO_PENDING_MS / 1000, path: SSO_PATH, sameSite: 'Lax' });
      res.redirect(303, location);
    } catch (error) {
      if (!(error instanceof SsoUnavailable)) throw error;
      logger.warn({ err: error }, 'single sign-on: the OpenID provider is out of reach');
      res.status(502).type('html').send(ssoRefusedPage({ reason: 'unavailable' }).text);
    }
  });

  router.get(`${SSO_PATH}/callback`, async (req, res) => {
    if (sso.label === undefined) throw PAGE_NOT_FOUND;
    const answer = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    const outcome = await sso.finish(readCookie(req, SSO_COOKIE), answer, clock.now());
    writeCookie(req, res, SSO_COOKIE, '', { maxAgeSeconds: 0, path: SSO_PATH, sameSite: 'Lax' });
    if (outcome.kind === 'refused') {
      logger.warn({ reason: outcome.reason, detail: outcome.log }, 'single sign-on refused');
      res.status(statusOf[outcome.reason]).type('html').send(ssoRefusedPage(outcome).text);
      return;
    }
    const principal = principalOfAccount(outcome.account);
    const session = await sessions.create(principal, clock.now(), req.ip, 'sso');
    writeCookie(req, res, SESSION_COOKIE, session.id, { maxAgeSeconds: SESSION_TTL_MS / 1000 });
    const next = outcome.next ?? startPage(principal.role);
    // Arrived from the provider's site: the Strict session cookie goes with the next navigation of ours, not with a redirect.
    res.setHeader('Refresh', `0; url=${next}`);
    res.status(200).type('html').send(ssoSignedInPage(outcome.account.displayName, next).text);
  });
};
