import type { Notification } from '../../notifications/notification-store.ts';
import { taskHref } from '../view/badges.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { shanghaiDateTime, shanghaiIso } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { eventLabel } from '../view/labels.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

/**
 * A unit's notifications, newest first, unread ones marked, each linking to its task and with a form
 * to mark it read; for the office (reviewers, admins) every notice sent, with the unit it went to and
 * whether that unit has read it, and no form: only the unit a notice is for marks it read. Pure.
 */
export function notificationsPage(viewer: Viewer, notifications: readonly Notification[]): SafeHtml {
  const unread = notifications.filter((n) => n.acknowledgedAt === null).length;
  const ownUnit = viewer.principal.role === 'unit';
  return layout({
    title: ownUnit ? '我的通知' : '已发通知',
    viewer,
    current: '/notifications',
    body:
      notifications.length === 0
        ? html`<p class="empty">${ownUnit ? '暂无通知。' : '尚未向任何单位发出通知。'}</p>`
        : html`<p class="muted">${ownUnit ? '督办、退回、预警、逾期、约谈、问责、核验、销号、表扬和延期通知，最新的在前；' : '向各单位发出的督办、退回、预警、逾期、约谈、问责、核验、销号、表扬和延期通知，最新的在前；单位尚'}未读 ${unread} 条。</p>${
            ownUnit && unread > 0
              ? html`<form method="post" action="/notifications/read-all" class="inline-form"><input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}"><button type="submit" class="secondary">全部已读</button></form>`
              : ''
          }<ol class="notices">${notifications.map(
            (n) => html`<li class="notice-item notice-${n.type.toLowerCase().replace(/_/g, '-')}${n.acknowledgedAt === null ? ' unread' : ''}">
<p class="notice-head">${n.acknowledgedAt === null ? html`<span class="tag late">未读</span> ` : ''}${ownUnit ? '' : html`<span class="role-tag">发往${n.unit}</span> `}<span class="event">${n.title}</span> <time datetime="${shanghaiIso(n.createdAt)}">${shanghaiDateTime(n.createdAt)}</time></p>
<p>${n.body}</p>
<div class="notice-actions">${
              // A circular's notice has no task: its entry_seq is the issued circular's id, negated.
              n.type === 'CIRCULAR'
                ? html`<a href="/circulars/${-n.entrySeq}">查看通报<span class="visually-hidden">（${n.title}）</span></a>`
                : n.taskId === ''
                  ? html`<a href="${ownUnit ? '/mine' : '/cycles'}">${ownUnit ? '查看本单位任务' : '查看报送情况'}<span class="visually-hidden">（${eventLabel(n.type)}，${n.title}）</span></a>`
                  : html`<a href="${taskHref(n.taskId)}">查看任务<span class="visually-hidden">（${eventLabel(n.type)}，${n.title}）</span></a>`
            }${
              !ownUnit
                ? n.acknowledgedAt === null
                  ? ''
                  : html`<span class="muted">${n.unit}已读于 ${shanghaiDateTime(n.acknowledgedAt)}</span>`
                : n.acknowledgedAt === null
                ? html`<form method="post" action="/notifications/${n.id}/read" class="inline-form"><input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}"><button type="submit" class="secondary small-button">标为已读<span class="visually-hidden">：${n.title}</span></button></form>`
                : html`<span class="muted">已读于 ${shanghaiDateTime(n.acknowledgedAt)}</span>`
            }</div>
</li>`,
          )}</ol>`,
  });
}
