import { light, overdueDays } from '@duban/reform-task';
import type { TaskFacts } from '../../reports/index.ts';
import { brief, lightBadge, stateBadge, taskHref, unreportedBadge } from './badges.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';

/**
 * Tasks as a table (short cards on a phone): number, text linking to the task, lead and responsible
 * units, limit in force, state, light and days overdue at `at`; with `pick`, a checkbox `ids` a row
 * (the office's bulk 督办). Pure.
 */
export function taskTable(tasks: readonly TaskFacts[], at: number, caption: string, options: { links?: boolean; page?: ListPage; pick?: boolean; unreported?: ReadonlyMap<string, readonly string[]> } = {}): SafeHtml {
  if (tasks.length === 0) return html`<p class="empty">没有符合条件的任务。</p>`;
  const links = options.links ?? true;
  const pick = options.pick ?? false;
  const { page } = options;
  const count = page === undefined || page.pages === 1 ? `${tasks.length} 项` : `共 ${page.total} 项，第 ${page.number}/${page.pages} 页`;
  return html`<table class="tasks stack">
<caption>${caption}（${count}）</caption>
<thead><tr>${pick ? html`<th scope="col"><span class="visually-hidden">选择</span></th>` : ''}<th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">牵头单位</th><th scope="col">责任单位</th><th scope="col">完成时限</th><th scope="col">状态</th><th scope="col">红黄绿灯</th><th scope="col">逾期天数</th></tr></thead>
<tbody>${tasks.map(({ id, snapshot, task }) => {
    const days = overdueDays(snapshot, at);
    return html`<tr>
${pick ? html`<td class="pick"><input type="checkbox" name="ids" value="${id}" id="pick-${id}" aria-label="选择第${task.number}项"></td>` : ''}<td data-label="序号">${task.number}</td>
<td data-label="任务内容">${links ? html`<a href="${taskHref(id)}">${brief(task.text)}</a>` : brief(task.text)}</td>
<td data-label="牵头单位">${task.leadUnits.join('、')}</td>
<td data-label="责任单位">${task.responsibleUnits.length === 0 ? '—' : task.responsibleUnits.join('、')}</td>
<td data-label="完成时限" class="nowrap">${task.dueDate ?? (task.deadline.text || '—')}</td>
<td data-label="状态">${stateBadge(snapshot.value)}${unreportedBadge(options.unreported?.get(id))}</td>
<td data-label="红黄绿灯">${lightBadge(light(snapshot))}</td>
<td data-label="逾期天数">${days > 0 ? html`<span class="overdue">${days}</span>` : '0'}</td>
</tr>`;
  })}</tbody>
</table>`;
}

/** One page of a longer list: its number (from 1), how many pages, how many items in all. */
export interface ListPage {
  readonly number: number;
  readonly pages: number;
  readonly total: number;
}

/** Tasks shown on one page of a list. */
export const TASKS_PER_PAGE = 100;

/** Page `number` of `items`, and where it stands; undefined when there is no such page. Pure. */
export function pageOf<T>(items: readonly T[], number: number): { items: T[]; page: ListPage } | undefined {
  const pages = Math.max(1, Math.ceil(items.length / TASKS_PER_PAGE));
  if (!Number.isInteger(number) || number < 1 || number > pages) return undefined;
  return { items: items.slice((number - 1) * TASKS_PER_PAGE, number * TASKS_PER_PAGE), page: { number, pages, total: items.length } };
}

/** `/tasks` with `filter`'s criteria (and the day it is as of), at page `page` when given. Pure. */
export function taskListHref(filter: TaskFilter & { asOf?: string | undefined }, page?: number): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (typeof value === 'string' && name !== 'page') query.set(name, value);
    if (value === true) query.set(name, '1');
  }
  if (page !== undefined) query.set('page', String(page));
  const text = query.toString();
  return text === '' ? '/tasks' : `/tasks?${text}`;
}
