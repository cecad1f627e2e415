import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Account, AccountStore } from '../accounts/account-store.ts';
import { loginName } from '../accounts/account-fields.ts';
import { DEFAULT_SSO_LABEL, isAllowedIssuer } from './sso-settings.ts';
import type { SsoSettings } from './sso-settings.ts';
import type { SsoStore } from './sso-store.ts';

/** How long a person has to come back from the provider. */
export const SSO_PENDING_MS = 10 * 60_000;

/** Why a single sign-on did not open a session; `log` is for the server's log, in English. */
export type SsoRefusal = {
  readonly kind: 'refused';
  /** expired: no pending sign-in for this browser (none, used, late); failed: the provider's answer did not check out; unknown: no account for the identity; disabled; unavailable: the provider cannot be reached. */
  readonly reason: 'expired' | 'failed' | 'unknown' | 'disabled' | 'unavailable';
  readonly log: string;
  /** What the provider called the person (the claim's value), for the page to name. */
  readonly identity?: string | undefined;
};

export type SsoOutcome = { readonly kind: 'signed-in'; readonly account: Account; readonly next: string | null } | SsoRefusal;

/** Sign-in through an OpenID provider, or nothing when it is not configured. */
export interface SingleSignOn {
  /** The sign-in page's button; undefined when single sign-on is off (its routes answer 404). */
  readonly label: string | undefined;
  /**
   * Starts a sign-in: a fresh state, nonce and PKCE verifier kept for the browser's new cookie; the
   * provider's authorization URL to send the browser to. `origin` is this server as the request
   * reached it (for the default redirect URI). Throws SsoUnavailable when the provider cannot be asked.
   */
  begin(next: string | null, origin: string, at: Date): Promise<{ cookie: string; location: string }>;
  /** Ends a sign-in with the provider's answer (the callback's query) for the browser's cookie. */
  finish(cookie: string | undefined, answer: URLSearchParams, at: Date): Promise<SsoOutcome>;
}

/** The provider could not be reached or described itself wrongly. */
export class SsoUnavailable extends Error {
  override readonly name = 'SsoUnavailable';
}

/** Single sign-on when `serve` was given no provider. */
export const singleSignOnOff: SingleSignOn = {
  label: undefined,
  begin: () => Promise.reject(new Error('single sign-on is not configured')),
  finish: () => Promise.reject(new Error('single sign-on is not configured')),
};

const refused = (reason: SsoRefusal['reason'], log: string, identity?: string): SsoRefusal => ({ kind: 'refused', reason, log, ...(identity === undefined ? {} : { identity }) });

/** A network failure (the provider is down), as opposed to an answer that did not check out. */
function unreachable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (e instanceof TypeError || (typeof code === 'string' && /^(E[A-Z]{3,}|UND_ERR)/.test(code))) return true;
  }
  return false;
}
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error));

/**
 * OpenID Connect sign-in with `openid-client`: the authorization code flow with PKCE (S256), state
 * and nonce, the client authenticated by its secret. The provider is discovered on first use (again
 * after a failure). The identity maps to an account: an (issuer, subject) linked before, else the
 * configured claim's value as a login name, linked at that first sign-in; an account already linked
 * to another subject of the issuer is not opened by a recycled name. Does IO (the provider, the store).
 */
export class OidcSignOn implements SingleSignOn {
  readonly label: string;
  private discovered: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: SsoSettings,
    private readonly store: SsoStore,
    private readonly accounts: Pick<AccountStore, 'get' | 'byLogin'>,
  ) {
    if (!isAllowedIssuer(settings.issuer)) throw new Error(`the OpenID issuer must be https (or http on a loopback address), got ${settings.issuer.href}`);
    this.label = settings.label ?? DEFAULT_SSO_LABEL;
  }

  async begin(next: string | null, origin: string, at: Date): Promise<{ cookie: string; location: string }> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirectUri = (this.settings.redirectUri ?? new URL('/login/sso/callback', origin)).href;
    const cookie = randomBytes(32).toString('base64url');
    await this.store.hold(cookie, { state, nonce, codeVerifier, redirectUri, next }, at, new Date(at.getTime() + SSO_PENDING_MS));
    const location = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { cookie, location: location.href };
  }

  async finish(cookie: string | undefined, answer: URLSearchParams, at: Date): Promise<SsoOutcome> {
    const pending = cookie === undefined ? undefined : await this.store.take(cookie, at);
    if (pending === undefined) return refused('expired', 'no pending sign-in for this browser: no cookie, or its sign-in was used or is older than 10 minutes');
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch (error) {
      return refused('unavailable', describe(error));
    }
    const current = new URL(pending.redirectUri);
    current.search = answer.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    } catch (error) {
      return refused(unreachable(error) ? 'unavailable' : 'failed', describe(error));
    }
    const claims = tokens.claims();
    if (claims === undefined) return refused('failed', 'the provider answered without an ID token');
    let value: unknown = claims[this.settings.claim];
    if (value === undefined) {
      try {
        value = (await client.fetchUserInfo(config, tokens.access_token, claims.sub))[this.settings.claim];
      } catch (error) {
        return refused(unreachable(error) ? 'unavailable' : 'failed', `userinfo: ${describe(error)}`);
      }
    }
    const identity = typeof value === 'string' ? value : undefined;
    const account = await this.accountOf(claims.iss, claims.sub, identity);
    if (typeof account === 'string') return refused('unknown', account, identity ?? claims.sub);
    if (account.disabledAt !== null) return refused('disabled', `account ${account.login} is disabled`, identity);
    if (!(await this.store.link(claims.iss, claims.sub, account.id, at)) && (await this.store.linkedAccount(claims.iss, claims.sub)) !== account.id) {
      return refused('unknown', `the identity ${claims.sub} of ${claims.iss} was linked to another account meanwhile`, identity);
    }
    return { kind: 'signed-in', account, next: pending.next };
  }

  /** The account an identity signs in as, or why none (in English, for the log). */
  private async accountOf(issuer: string, subject: string, identity: string | undefined): Promise<Account | string> {
    const linked = await this.store.linkedAccount(issuer, subject);
    if (linked !== undefined) return (await this.accounts.get(linked)) ?? `the identity ${subject} of ${issuer} is linked to account ${linked}, which no longer exists`;
    if (identity === undefined) return `the provider gave no string claim ${this.settings.claim} for ${subject}`;
    let login: string;
    try {
      login = loginName(identity);
    } catch {
      return `the claim ${this.settings.claim} (${JSON.stringify(identity)}) is no login name`;
    }
    const account = await this.accounts.byLogin(login);
    if (account === undefined) return `no account has the login name ${login} (claim ${this.settings.claim} of ${subject})`;
    const other = await this.store.subjectOf(issuer, account.id);
    if (other !== undefined && other !== subject) return `account ${login} is linked to another identity (${other}) of ${issuer}, not ${subject}`;
    return account;
  }

  private configuration(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const insecure = issuer.protocol === 'http:';
    this.discovered ??= client.discovery(issuer, clientId, clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined).catch((error: unknown) => {
      this.discovered = undefined;
      throw new SsoUnavailable(`cannot discover the OpenID provider ${issuer.href}: ${describe(error)}`);
    });
    return this.discovered;
  }
}
