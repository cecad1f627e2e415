import type { TaskFacts } from '../../reports/index.ts';
import { filterForm } from '../forms/filter-form.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { csrfField, layout, queryNotice } from '../view/layout.ts';
import type { TaskListFields } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';
import type { ListPage } from '../view/task-table.ts';
import { taskListHref, taskTable } from '../view/task-table.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';

/**
 * The task list: the filter form (with keywords, a deadline range and the order) over the tasks the
 * viewer may see, one page of the matching ones with links to the pages before and after (the filters
 * kept), the whole filtered list as CSV, and for the office checkboxes to urge the chosen tasks with
 * one message; as of a past day when asked. Pure.
 */
export function taskListPage(model: {
  viewer: Viewer;
  visible: readonly TaskFacts[];
  shown: readonly TaskFacts[];
  page: ListPage;
  filter: TaskFilter & TaskListFields & { asOf?: string | undefined };
  errors?: QueryErrors;
  today: string;
  at: number;
  /** The plan shown and its selector. */
  plan?: PlanView;
  /** The office's bulk 督办: the shown tasks get checkboxes and one message for all; the form's key. */
  bulk?: { readonly key: string } | undefined;
  /** The units 未报 of each shown task (reporting cycles). */
  unreported?: ReadonlyMap<string, readonly string[]>;
}): SafeHtml {
  const { page, bulk } = model;
  const day = model.filter.asOf;
  const csv = taskListHref(model.filter).replace(/^\/tasks/, '/tasks.csv');
  const table = taskTable(model.shown, model.at, '任务', { page, pick: bulk !== undefined && model.shown.length > 0, ...(model.unreported === undefined ? {} : { unreported: model.unreported }) });
  return layout({
    title: day === undefined ? '任务列表' : `任务列表（截至${day}）`,
    viewer: model.viewer,
    current: '/tasks',
    notices: [...queryNotice(model.errors), ...(model.plan?.notices ?? []), ...(day === undefined ? [] : [{ kind: 'info' as const, text: `以下为根据审计日志重放的 ${day} 日终情况。` }])],
    body: html`${filterForm('/tasks', model.visible, model.filter, { asOf: { max: model.today }, errors: model.errors ?? {}, plan: model.plan?.field ?? '', search: model.filter })}
<p class="downloads"><a href="${csv}" download>下载筛选结果（CSV）</a></p>
${
  bulk === undefined || model.shown.length === 0
    ? table
    : html`<form method="post" action="/tasks/bulk-urge" class="bulk-form">${csrfField(model.viewer)}<input type="hidden" name="_key" value="${bulk.key}">
${table}
<div class="bulk-bar"><div class="field"><label for="bulk-message">督办意见（发给所选的每项任务）</label><textarea id="bulk-message" name="message" rows="2" maxlength="2000" required></textarea></div>
<button type="submit" class="primary">督办所选任务</button></div>
</form>`
}
${page.pages === 1 ? '' : html`<nav class="pager" aria-label="分页">${page.number > 1 ? html`<a href="${taskListHref(model.filter, page.number - 1)}" rel="prev">上一页</a>` : ''} <span>第 ${page.number}/${page.pages} 页</span> ${page.number < page.pages ? html`<a href="${taskListHref(model.filter, page.number + 1)}" rel="next">下一页</a>` : ''}</nav>`}`,
  });
}

