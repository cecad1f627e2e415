import { light } from '@duban/reform-task';
import type { ReportTask } from '../../reports/index.ts';
import { brief, lightBadge, taskHref } from '../view/badges.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

/** The verification queue: reported tasks, the longest waiting first, each one click from its forms. Pure. */
export function queuePage(viewer: Viewer, tasks: readonly ReportTask[]): SafeHtml {
  const canAct = viewer.principal.role === 'office';
  return layout({
    title: '待核验',
    viewer,
    current: '/queue',
    body:
      tasks.length === 0
        ? html`<p class="empty">目前没有待核验的任务。</p>`
        : html`<table class="stack">
<caption>已报送办结、等待核验的任务（${tasks.length} 项，报送最早者在前）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">牵头单位</th><th scope="col">报送时间</th><th scope="col">完成时限</th><th scope="col">红黄绿灯</th><th scope="col">操作</th></tr></thead>
<tbody>${tasks.map(({ id, snapshot, task }) => {
            const onTime = task.reportedAt !== null && task.deadlineAt !== null && task.reportedAt < task.deadlineAt;
            return html`<tr>
<td data-label="序号">${task.number}</td>
<td data-label="任务内容"><a href="${taskHref(id)}">${brief(task.text)}</a>${task.lastReport === null ? '' : html`<p class="muted">${brief(task.lastReport.summary, 80)}（佐证材料 ${task.lastReport.evidence.length} 项）</p>`}</td>
<td data-label="牵头单位">${task.leadUnits.join('、')}</td>
<td data-label="报送时间">${task.reportedAt === null ? '—' : shanghaiDateTime(task.reportedAt)}</td>
<td data-label="完成时限">${task.dueDate ?? '—'}${task.deadlineAt === null ? '' : onTime ? html` <span class="tag ok">按时</span>` : html` <span class="tag late">逾期报送</span>`}</td>
<td data-label="红黄绿灯">${lightBadge(light(snapshot))}</td>
<td data-label="操作"><a class="button small" href="${taskHref(id)}#actions-h">${canAct ? '核验' : '查看'}<span class="visually-hidden">第${task.number}项</span></a></td>
</tr>`;
          })}</tbody>
</table>`,
  });
}
