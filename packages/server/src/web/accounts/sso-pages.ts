import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { SsoRefusal } from '../../sso/single-sign-on.ts';
import { layout } from '../view/layout.ts';

/** What a person reads when single sign-on opened no session, by reason. Pure. */
function refusalText(refusal: Pick<SsoRefusal, 'reason' | 'identity'>): string {
  const who = refusal.identity === undefined ? '您的统一身份认证账号' : `统一身份认证账号“${refusal.identity}”`;
  switch (refusal.reason) {
    case 'unknown':
      return `${who}在本系统中没有对应的账号，或已与其他账号关联。请联系系统管理员开通账号后再登录。`;
    case 'disabled':
      return `${who}对应的账号已停用，请联系系统管理员。`;
    case 'expired':
      return '本次统一身份认证登录已失效（超过 10 分钟、已使用过，或不是从本浏览器发起的），请重新登录。';
    case 'failed':
      return '统一身份认证的登录结果未通过校验，未能登录。请重新登录；如仍不成功，请联系系统管理员。';
    case 'unavailable':
      return '暂时无法连接统一身份认证平台，请稍后再试，或使用登录名和密码登录。';
  }
}

/** The page of a single sign-on that opened no session: the reason in Chinese, and the way back. Pure. */
export function ssoRefusedPage(refusal: Pick<SsoRefusal, 'reason' | 'identity'>): SafeHtml {
  return layout({
    title: '统一身份认证登录未成功',
    notices: [{ kind: 'error', text: refusalText(refusal) }],
    body: html`<p><a class="button" href="/login">返回登录页</a></p>`,
  });
}

/**
 * The page a single sign-on lands on once the session is open. The browser arrived here from the
 * provider, across sites, so the session cookie (SameSite=Strict) would not go with a redirect: the
 * page moves on itself (the Refresh header the route sets), a navigation of this site. Pure.
 */
export function ssoSignedInPage(name: string, next: string): SafeHtml {
  return layout({
    title: '登录成功',
    notices: [{ kind: 'success', text: `${name}，您已通过统一身份认证登录。` }],
    body: html`<p><a class="button primary" href="${next}" id="continue">继续</a></p>`,
  });
}
