import type { TaskFacts } from '../../reports/index.ts';
import { filterForm } from '../forms/filter-form.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';
import type { ListPage } from '../view/task-table.ts';
import { taskListHref, taskTable } from '../view/task-table.ts';
import type { Viewer } from '../session/web-viewer.ts';

/**
 * The task list: the filter form over the tasks the viewer may see, and one page of the matching
 * ones with links to the pages before and after (the filters kept). Pure.
 */
export function taskListPage(model: { viewer: Viewer; visible: readonly TaskFacts[]; shown: readonly TaskFacts[]; page: ListPage; filter: TaskFilter; at: number }): SafeHtml {
  const { page } = model;
  return layout({
    title: '任务列表',
    viewer: model.viewer,
    current: '/tasks',
    body: html`${filterForm('/tasks', model.visible, model.filter)}
${taskTable(model.shown, model.at, '任务', { page })}
${page.pages === 1 ? '' : html`<nav class="pager" aria-label="分页">${page.number > 1 ? html`<a href="${taskListHref(model.filter, page.number - 1)}" rel="prev">上一页</a>` : ''} <span>第 ${page.number}/${page.pages} 页</span> ${page.number < page.pages ? html`<a href="${taskListHref(model.filter, page.number + 1)}" rel="next">下一页</a>` : ''}</nav>`}`,
  });
}

