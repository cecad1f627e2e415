import type { TaskView } from '@duban/reform-task';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { brief, lightBadge, stateBadge, taskHref } from '../view/badges.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';

/** A watched task with the latest instruction on it, as the page lists it. */
export interface WatchedTask {
  readonly task: TaskView;
  /** The latest 领导批示 on the task, if any. */
  readonly instruction: { readonly text: string; readonly by: string; readonly at: number } | null;
}

/** 我关注的任务: the viewer's watch list, each task with its light, state, limit and latest instruction. Pure. */
export function watchListPage(viewer: Viewer, watched: readonly WatchedTask[]): SafeHtml {
  return layout({
    title: '我关注的任务',
    viewer,
    current: '/watching',
    body: html`<p class="lead">您关注了 ${watched.length} 项任务。在任务页点“☆ 关注此任务”加入，点“★ 已关注”取消。</p>
${watched.length === 0 ? html`<p class="empty">尚未关注任何任务。<a href="/tasks">到任务列表选择</a></p>` : ''}
<ul class="task-cards">${watched.map(
      ({ task: t, instruction }) => html`<li class="task-card light-edge-${t.light}">
<h3><a href="${taskHref(t.id)}">第${t.number}项：${brief(t.text, 48)}</a></h3>
<p>${lightBadge(t.light)} ${stateBadge(t.state)} 牵头单位：${t.leadUnits.join('、')} · 完成时限：${t.dueDate ?? (t.deadline.text || '—')}${t.overdueDays > 0 ? html` <span class="overdue">已逾期 ${t.overdueDays} 天</span>` : ''}</p>
${instruction === null ? '' : html`<p class="instruction-brief">最新批示：${brief(instruction.text, 60)}<span class="muted">（${instruction.by}，${shanghaiDateTime(instruction.at)}）</span></p>`}
</li>`,
    )}</ul>`,
  });
}
