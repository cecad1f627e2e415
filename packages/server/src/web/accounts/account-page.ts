import type { Account } from '../../accounts/account-store.ts';
import { accountRoleLabels } from '../../accounts/account-roles.ts';
import { MIN_PASSWORD_LENGTH } from '../../accounts/password-policy.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import type { SessionListing } from '../session/session-store.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/**
 * 我的账号: who the viewer is, a form to change the password (the only thing an account that must
 * change it can do), and its live sessions, each of which it can end. A token's session has no
 * account to show. Pure.
 */
export function accountPage(options: { viewer: Viewer; account: Account | undefined; sessions: readonly SessionListing[]; currentHandle: string; notices?: readonly Notice[]; field?: string }): SafeHtml {
  const { viewer, account } = options;
  const bad = (field: string) => (options.field === field ? html` aria-invalid="true"` : '');
  const notices = [...(viewer.mustChangePassword === true ? [{ kind: 'info' as const, text: '首次登录须先修改密码，修改后才能使用其他功能。' }] : []), ...(options.notices ?? [])];
  if (account === undefined) {
    return layout({ title: '我的账号', viewer, notices, body: html`<p class="card">本次使用访问令牌登录，不对应个人账号。个人账号请向系统管理员申请。</p>` });
  }
  return layout({
    title: '我的账号',
    viewer,
    notices,
    body: html`<section class="card"><h2>账号信息</h2><dl>
<dt>姓名</dt><dd>${account.displayName}</dd>
<dt>登录名</dt><dd>${account.login}</dd>
<dt>角色</dt><dd>${accountRoleLabels[account.role]}</dd>
<dt>单位</dt><dd>${account.unit ?? '—'}</dd>
<dt>电话</dt><dd>${account.phone ?? '—'}</dd>
<dt>电子邮箱</dt><dd>${account.email ?? '—'}</dd>
</dl></section>
<section class="card narrow"><h2>修改密码</h2>
<form method="post" action="/account/password">${csrfField(viewer)}
<div class="field"><label for="current">当前密码</label><input type="password" id="current" name="current" required autocomplete="current-password"${bad('current')}></div>
<div class="field"><label for="password">新密码</label><p class="hint" id="password-hint">至少 ${MIN_PASSWORD_LENGTH} 个字符，不能包含登录名。</p>
<input type="password" id="password" name="password" required autocomplete="new-password" aria-describedby="password-hint"${bad('password')}></div>
<div class="field"><label for="password2">再次输入新密码</label><input type="password" id="password2" name="password2" required autocomplete="new-password"${bad('password2')}></div>
<div class="actions"><button type="submit" class="primary">修改密码</button></div>
</form></section>
<section class="card"><h2>登录会话</h2>
<table id="sessions"><thead><tr><th scope="col">登录时间</th><th scope="col">有效至</th><th scope="col">地址</th><th scope="col">操作</th></tr></thead><tbody>
${options.sessions.map(
  (s) => html`<tr><td>${shanghaiDateTime(s.createdAt)}</td><td>${shanghaiDateTime(s.expiresAt)}</td><td>${s.address ?? '—'}</td><td>${
    s.handle === options.currentHandle
      ? '当前会话'
      : html`<form method="post" action="/account/sessions/end">${csrfField(viewer)}<input type="hidden" name="session" value="${s.handle}"><button type="submit" class="link-button">结束此会话</button></form>`
  }</td></tr>`,
)}
</tbody></table></section>`,
  });
}
