import { light, overdueDays } from '@duban/reform-task';
import type { ReportTask } from '../reports/index.ts';
import { brief, lightBadge, stateBadge, taskHref } from './badges.ts';
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';

/**
 * Tasks as a table (stacked into cards on a phone): number, text linking to the task, lead units,
 * limit in force, state, light and days overdue at `at`. Pure.
 */
export function taskTable(tasks: readonly ReportTask[], at: number, caption: string, options: { links?: boolean } = {}): SafeHtml {
  if (tasks.length === 0) return html`<p class="empty">没有符合条件的任务。</p>`;
  const links = options.links ?? true;
  return html`<table class="tasks stack">
<caption>${caption}（${tasks.length} 项）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">牵头单位</th><th scope="col">完成时限</th><th scope="col">状态</th><th scope="col">红黄绿灯</th><th scope="col">逾期天数</th></tr></thead>
<tbody>${tasks.map(({ id, snapshot, task }) => {
    const days = overdueDays(snapshot, at);
    return html`<tr>
<td data-label="序号">${task.number}</td>
<td data-label="任务内容">${links ? html`<a href="${taskHref(id)}">${brief(task.text)}</a>` : brief(task.text)}</td>
<td data-label="牵头单位">${task.leadUnits.join('、')}</td>
<td data-label="完成时限" class="nowrap">${task.dueDate ?? (task.deadline.text || '—')}</td>
<td data-label="状态">${stateBadge(snapshot.value)}</td>
<td data-label="红黄绿灯">${lightBadge(light(snapshot))}</td>
<td data-label="逾期天数">${days > 0 ? html`<span class="overdue">${days}</span>` : '0'}</td>
</tr>`;
  })}</tbody>
</table>`;
}
