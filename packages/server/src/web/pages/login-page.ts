import { CSRF_FIELD } from '../session/csrf.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';

/** Which sign-in field was at fault, for the page to mark. */
export type LoginField = 'login' | 'password' | 'token';

/**
 * The sign-in page: login name and password (people), and, folded away, an API token (programs'
 * tokens, the older way); the anti-forgery token of the sign-in and where to go next. Pure.
 */
export function loginPage(options: { csrf: string; next?: string | undefined; error?: string; field?: LoginField; login?: string; ssoLabel?: string }): SafeHtml {
  const bad = (field: LoginField) => (options.error !== undefined && options.field === field ? html` aria-invalid="true"` : '');
  const hidden = html`<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">
${options.next === undefined ? '' : html`<input type="hidden" name="next" value="${options.next}">`}`;
  return layout({
    title: '登录',
    notices: options.error === undefined ? [] : [{ kind: 'error', text: options.error }],
    body: html`<form class="card narrow" method="post" action="/login" id="password-sign-in">
${hidden}
<div class="field">
<label for="login">登录名</label>
<input type="text" id="login" name="login" required autocomplete="username" spellcheck="false" value="${options.login ?? ''}"${bad('login')}>
</div>
<div class="field">
<label for="password">密码</label>
<input type="password" id="password" name="password" required autocomplete="current-password"${bad('password')}>
</div>
<div class="actions"><button type="submit" class="primary">登录</button></div>
<p class="hint">初次登录或忘记密码：请向系统管理员申请一次性登录码，然后<a href="/login/code">使用登录码设置密码</a>。</p>
</form>
${options.ssoLabel === undefined ? '' : html`<p class="card narrow"><a class="button" href="/login/sso${options.next === undefined ? '' : `?next=${encodeURIComponent(options.next)}`}">${options.ssoLabel}</a></p>`}
<details class="card narrow"${options.field === 'token' ? ' open' : ''}>
<summary>使用访问令牌登录（供程序或临时使用）</summary>
<form method="post" action="/login">
${hidden}
<div class="field">
<label for="token">访问令牌</label>
<p class="hint" id="token-hint">请输入管理员发放给您的令牌（以 dbn_ 开头）。令牌相当于密码，请勿转给他人。</p>
<input type="password" id="token" name="token" required autocomplete="off" spellcheck="false" aria-describedby="token-hint"${bad('token')}>
</div>
<div class="actions"><button type="submit">使用令牌登录</button></div>
</form>
</details>
<p class="muted">登录后 8 小时内有效；在公用电脑上使用后请点击“退出登录”。</p>`,
  });
}
