import { CSRF_FIELD } from '../session/csrf.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';

/** The sign-in form: a token field, the anti-forgery token of the sign-in, where to go next. Pure. */
export function loginPage(options: { csrf: string; next?: string | undefined; error?: string }): SafeHtml {
  const invalid = options.error !== undefined;
  return layout({
    title: '登录',
    notices: options.error === undefined ? [] : [{ kind: 'error', text: options.error }],
    body: html`<form class="card narrow" method="post" action="/login">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">
${options.next === undefined ? '' : html`<input type="hidden" name="next" value="${options.next}">`}
<div class="field${invalid ? ' has-error' : ''}">
<label for="token">访问令牌</label>
<p class="hint" id="token-hint">请输入管理员发放给您的令牌（以 dbn_ 开头）。令牌相当于密码，请勿转给他人。</p>
<input type="password" id="token" name="token" required autocomplete="current-password" spellcheck="false" aria-describedby="token-hint"${invalid ? html` aria-invalid="true"` : ''}>
</div>
<div class="actions"><button type="submit" class="primary">登录</button></div>
</form>
<p class="muted">登录后 8 小时内有效；在公用电脑上使用后请点击“退出登录”。</p>`,
  });
}
