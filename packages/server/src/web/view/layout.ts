import type { Role } from '../../auth/role.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { html } from '../../html/html.ts';
import type { HtmlValue, SafeHtml } from '../../html/html.ts';
import { roleLabels } from './labels.ts';
import { webAssets } from './web-assets.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { InboxCounts } from '../../tasks/inbox.ts';

/** A message at the top of a page. */
export interface Notice {
  readonly kind: 'success' | 'error' | 'info';
  readonly text: string;
  readonly details?: readonly string[];
}

interface NavItem {
  readonly href: string;
  readonly label: string;
}

/** What each role finds in the navigation, its start page first. */
export const navigation: Readonly<Record<Role, readonly NavItem[]>> = {
  unit: [
    { href: '/mine', label: '我的任务' },
    { href: '/notifications', label: '我的通知' },
    { href: '/tasks', label: '任务列表' },
    { href: '/assessment', label: '本单位考核' },
    { href: '/circulars', label: '通报' },
  ],
  office: [
    { href: '/dashboard', label: '全局看板' },
    { href: '/inbox', label: '待办' },
    { href: '/queue', label: '待核验' },
    { href: '/questions', label: '待答复问题' },
    { href: '/tasks', label: '任务列表' },
    { href: '/assessment', label: '考核' },
    { href: '/circular', label: '通报' },
    { href: '/circulars', label: '已印发通报' },
    { href: '/ledger', label: '台账' },
    { href: '/cycles', label: '信息报送' },
    { href: '/notifications', label: '已发通知' },
    { href: '/notice-channels', label: '通知渠道' },
    { href: '/notice-deliveries', label: '推送记录' },
    { href: '/audit', label: '审计核验' },
    { href: '/plans/import', label: '导入计划' },
  ],
  leader: [
    { href: '/dashboard', label: '全局看板' },
    { href: '/watching', label: '我关注的任务' },
    { href: '/tasks', label: '任务列表' },
    { href: '/assessment', label: '考核' },
    { href: '/circulars', label: '通报' },
    { href: '/ledger', label: '台账' },
  ],
  reviewer: [
    { href: '/audit', label: '审计核验' },
    { href: '/history', label: '历史看板' },
    { href: '/history/diff', label: '两日对比' },
    { href: '/dashboard', label: '全局看板' },
    { href: '/tasks', label: '任务列表' },
    { href: '/assessment', label: '考核' },
    { href: '/notice-deliveries', label: '推送记录' },
  ],
  admin: [
    { href: '/dashboard', label: '全局看板' },
    { href: '/tasks', label: '任务列表' },
    { href: '/ledger', label: '台账' },
    { href: '/audit', label: '审计核验' },
    { href: '/plans/import', label: '导入计划' },
    { href: '/admin/accounts', label: '账号管理' },
    { href: '/admin/units', label: '单位管理' },
    { href: '/notice-channels', label: '通知渠道' },
    { href: '/notice-deliveries', label: '推送记录' },
  ],
};

/** The page a role lands on after signing in. Pure. */
export function startPage(role: Role): string {
  return navigation[role][0]!.href;
}

/** A hidden anti-forgery field for a viewer's forms. */
export function csrfField(viewer: Viewer): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}">`;
}

/** A notice box: errors are alerts, the rest status messages. */
export function noticeBox(notice: Notice): SafeHtml {
  const role = notice.kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${notice.kind}" role="${role}"><p>${notice.text}</p>${
    notice.details === undefined || notice.details.length === 0 ? '' : html`<ul>${notice.details.map((d) => html`<li>${d}</li>`)}</ul>`
  }</div>`;
}

/** The banner of a page whose query had refused fields (each message sits beside its field). Pure. */
export function queryNotice(errors: Readonly<Record<string, string>> | undefined): Notice[] {
  return errors === undefined || Object.keys(errors).length === 0 ? [] : [{ kind: 'error', text: '部分条件不符合要求，已按其余条件显示；请按提示修改后重新提交。' }];
}

/** Everything a page of the site has around its content. */
export interface PageOptions {
  readonly title: string;
  /** The signed-in viewer; the sign-in and error pages may have none. */
  readonly viewer?: Viewer;
  /** The navigation entry to mark as current. */
  readonly current?: string;
  readonly notices?: readonly Notice[];
  readonly body: HtmlValue;
}

/** The number of things waiting beside 待办 in the navigation, each kind named for screen readers and on hover. Pure. */
function inboxBadge(counts: InboxCounts | undefined): SafeHtml | '' {
  if (counts === undefined) return '';
  const total = counts.toVerify + counts.extensions + counts.unsigned + counts.overdue + counts.openQuestions + counts.unreported;
  const spelled = `待核验 ${counts.toVerify}，待审批延期 ${counts.extensions}，未签收 ${counts.unsigned}，逾期 ${counts.overdue}，待答复 ${counts.openQuestions}，本期未报送 ${counts.unreported}`;
  return html` <span class="nav-count" title="${spelled}" data-inbox-total="${total}">${total}<span class="visually-hidden">项（${spelled}）</span></span>`;
}

/** A whole HTML document in the site's frame: skip link, header with navigation and sign-out, main. Pure. */
export function layout(options: PageOptions): SafeHtml {
  const { viewer } = options;
  const nav = viewer === undefined ? [] : navigation[viewer.principal.role];
  const where = viewer === undefined ? '' : viewer.principal.unit ?? roleLabels[viewer.principal.role] ?? viewer.principal.role;
  const person = viewer?.principal.account?.name;
  return html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · 督办</title>
<link rel="icon" href="${webAssets.icon.url}" type="image/svg+xml">
<link rel="stylesheet" href="${webAssets.css.url}">
<script src="${webAssets.js.url}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header">
<div class="brand"><a href="/">督办</a><span class="brand-sub">“放管服”改革任务督办</span></div>
${
  viewer === undefined
    ? ''
    : html`<nav class="site-nav" aria-label="主导航"><ul>${nav.map(
        (item) => html`<li><a href="${item.href}"${item.href === options.current ? html` aria-current="page"` : ''}>${item.label}${item.href === '/inbox' ? inboxBadge(viewer.inbox) : ''}</a></li>`,
      )}</ul></nav>
<form class="sign-out" method="post" action="/logout">${csrfField(viewer)}<span class="who">${where}${person === undefined ? '' : html` <a href="/account">${person}</a>`}</span><button type="submit" class="link-button">退出登录</button></form>`
}
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${(options.notices ?? []).map(noticeBox)}
${options.body}
</main>
<footer class="site-footer"><p>督办 duban · 时间均为北京时间（Asia/Shanghai）</p></footer>
</body>
</html>
`;
}
