import { CSRF_FIELD } from '../session/csrf.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import { MIN_PASSWORD_LENGTH } from '../../accounts/password-policy.ts';

/**
 * Signing in with a one-time code an admin gave (a new account, a forgotten password): the login
 * name, the code as typed (never in the address), a new password twice. Pure.
 */
export function codeSignInPage(options: { csrf: string; login?: string; error?: string; field?: string }): SafeHtml {
  const bad = (field: string) => (options.error !== undefined && options.field === field ? html` aria-invalid="true"` : '');
  return layout({
    title: '使用一次性登录码',
    notices: options.error === undefined ? [] : [{ kind: 'error', text: options.error }],
    body: html`<form class="card narrow" method="post" action="/login/code">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">
<div class="field"><label for="login">登录名</label>
<input type="text" id="login" name="login" required autocomplete="username" spellcheck="false" value="${options.login ?? ''}"${bad('login')}></div>
<div class="field"><label for="code">一次性登录码</label>
<p class="hint" id="code-hint">系统管理员提供的 12 位登录码，如 ABCD-EFGH-JKMN；24 小时内有效，只能使用一次。</p>
<input type="text" id="code" name="code" required autocomplete="one-time-code" spellcheck="false" aria-describedby="code-hint"${bad('code')}></div>
<div class="field"><label for="password">新密码</label>
<p class="hint" id="password-hint">至少 ${MIN_PASSWORD_LENGTH} 个字符，不能包含登录名。</p>
<input type="password" id="password" name="password" required autocomplete="new-password" aria-describedby="password-hint"${bad('password')}></div>
<div class="field"><label for="password2">再次输入新密码</label>
<input type="password" id="password2" name="password2" required autocomplete="new-password"${bad('password2')}></div>
<div class="actions"><button type="submit" class="primary">设置密码并登录</button></div>
</form>
<p><a href="/login">返回登录</a></p>`,
  });
}
