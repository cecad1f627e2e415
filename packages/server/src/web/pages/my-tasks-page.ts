import type { TaskView } from '@duban/reform-task';
import { brief, lightBadge, stateBadge, taskHref } from '../view/badges.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { eventLabel, lightLabel } from '../view/labels.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

const order = ['red', 'yellow', 'green', 'none'] as const;

const groupNotes: Readonly<Record<(typeof order)[number], string>> = {
  red: '已逾期或正在约谈，请尽快办理',
  yellow: '临近时限或曾被退回，请抓紧推进',
  green: '按计划推进中',
  none: '已撤销',
};

/** A unit's tasks grouped by light (red first), each with its role, state, limit and what it may do now. Pure. */
export function myTasksPage(viewer: Viewer, tasks: readonly TaskView[], unread: number): SafeHtml {
  const unit = viewer.principal.unit ?? '';
  const groups = order.map((light) => ({ light, tasks: tasks.filter((t) => t.light === light) })).filter((g) => g.tasks.length > 0);
  const todo = tasks.filter((t) => t.allowedEvents.length > 0).length;
  return layout({
    title: '我的任务',
    viewer,
    current: '/mine',
    body: html`<p class="lead">${unit}共参与 ${tasks.length} 项任务，其中 ${todo} 项当前可办理。${unread === 0 ? '' : html` <a href="/notifications">您有 ${unread} 条未读通知</a>。`}</p>
${groups.length === 0 ? html`<p class="empty">本单位暂无任务。</p>` : ''}
${groups.map(
      (group) => html`<section aria-labelledby="group-${group.light}"><h2 id="group-${group.light}">${lightBadge(group.light)} ${lightLabel(group.light)}任务（${group.tasks.length} 项）<span class="muted">${groupNotes[group.light]}</span></h2>
<ul class="task-cards">${group.tasks.map(
        (t) => html`<li class="task-card light-edge-${t.light}">
<h3><a href="${taskHref(t.id)}">第${t.number}项：${brief(t.text, 48)}</a></h3>
<p>${stateBadge(t.state)} <span class="role-tag">${t.leadUnits.includes(unit) ? '牵头' : '责任'}</span> 完成时限：${t.dueDate ?? (t.deadline.text || '—')}${t.overdueDays > 0 ? html` <span class="overdue">已逾期 ${t.overdueDays} 天</span>` : ''}</p>
<p class="can-do">${t.allowedEvents.length === 0 ? html`<span class="muted">当前无需办理</span>` : html`可办理：${t.allowedEvents.map(eventLabel).join('、')}`}</p>
</li>`,
      )}</ul></section>`,
    )}`,
  });
}
