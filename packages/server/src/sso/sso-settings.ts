/**
 * How this server signs people in through an OpenID provider (统一身份认证), as `serve` was told
 * (flags or environment). The client secret is the file's content, never a flag's value.
 */
export interface SsoSettings {
  /** The provider's Issuer Identifier; https, or http on a loopback address only (a test's provider). */
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The claim (ID token, else userinfo) whose value is the account's login name: `preferred_username`, or a custom one. */
  readonly claim: string;
  /** Where the provider sends people back; by default this server's `/login/sso/callback` as the request reached it. */
  readonly redirectUri?: URL | undefined;
  /** The button's words on the sign-in page. */
  readonly label?: string | undefined;
}

/** The words of the sign-in page's button unless configured. */
export const DEFAULT_SSO_LABEL = '使用统一身份认证登录';

/** Is this issuer one the server may talk to: https, or plain http on a loopback address? Pure. */
export function isAllowedIssuer(issuer: URL): boolean {
  if (issuer.protocol === 'https:') return true;
  return issuer.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname);
}
