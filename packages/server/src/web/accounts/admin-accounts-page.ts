import type { Account } from '../../accounts/account-store.ts';
import { accountRoleLabels, accountRoles } from '../../accounts/account-roles.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

const roleOptions = (selected?: string) =>
  accountRoles.map((role) => html`<option value="${role}"${role === selected ? ' selected' : ''}>${accountRoleLabels[role]}</option>`);

/**
 * 账号管理 (admins): every account with its role, unit and state, a form per account to change its
 * role and unit, disable or enable it, or issue a one-time sign-in code; a form to create one. A code
 * just issued is shown on this answer only. Pure.
 */
export function adminAccountsPage(options: { viewer: Viewer; accounts: readonly Account[]; notices?: readonly Notice[]; typed?: Readonly<Record<string, string>>; field?: string }): SafeHtml {
  const { viewer } = options;
  const typed = options.typed ?? {};
  const bad = (field: string) => (options.field === field ? html` aria-invalid="true"` : '');
  return layout({
    title: '账号管理',
    viewer,
    current: '/admin/accounts',
    notices: options.notices ?? [],
    body: html`<section class="card"><h2>新建账号</h2>
<form method="post" action="/admin/accounts">${csrfField(viewer)}
<div class="field"><label for="new-login">登录名</label><input id="new-login" name="login" required value="${typed['login'] ?? ''}"${bad('login')}></div>
<div class="field"><label for="new-name">姓名</label><input id="new-name" name="displayName" required value="${typed['displayName'] ?? ''}"${bad('displayName')}></div>
<div class="field"><label for="new-role">角色</label><select id="new-role" name="role">${roleOptions(typed['role'])}</select></div>
<div class="field"><label for="new-unit">单位</label><input id="new-unit" name="unit" value="${typed['unit'] ?? ''}"${bad('unit')}></div>
<div class="field"><label for="new-phone">电话</label><input id="new-phone" name="phone" value="${typed['phone'] ?? ''}"${bad('phone')}></div>
<div class="field"><label for="new-email">电子邮箱</label><input id="new-email" name="email" type="email" value="${typed['email'] ?? ''}"${bad('email')}></div>
<div class="actions"><button type="submit" class="primary">新建并生成一次性登录码</button></div>
</form></section>
<section class="card"><h2>全部账号</h2>
<table id="accounts"><thead><tr><th scope="col">登录名</th><th scope="col">姓名</th><th scope="col">角色与单位</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>
${options.accounts.map(
  (a) => html`<tr id="account-${a.id}"><td>${a.login}</td><td>${a.displayName}</td><td>
<form method="post" action="/admin/accounts/${a.id}">${csrfField(viewer)}
<label for="role-${a.id}" class="visually-hidden">角色</label><select id="role-${a.id}" name="role">${roleOptions(a.role)}</select>
<label for="unit-${a.id}" class="visually-hidden">单位</label><input id="unit-${a.id}" name="unit" value="${a.unit ?? ''}">
<button type="submit">保存</button></form></td>
<td>${a.disabledAt === null ? (a.hasPassword ? '正常' : '待设置密码') : '已停用'}</td>
<td><form method="post" action="/admin/accounts/${a.id}/${a.disabledAt === null ? 'disable' : 'enable'}">${csrfField(viewer)}<button type="submit">${a.disabledAt === null ? '停用' : '启用'}</button></form>
<form method="post" action="/admin/accounts/${a.id}/reset">${csrfField(viewer)}<button type="submit">生成一次性登录码</button></form></td></tr>`,
)}
</tbody></table></section>`,
  });
}
