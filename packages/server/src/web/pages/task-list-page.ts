import type { TaskFacts } from '../../reports/index.ts';
import { filterForm } from '../forms/filter-form.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout, queryNotice } from '../view/layout.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';
import type { ListPage } from '../view/task-table.ts';
import { taskListHref, taskTable } from '../view/task-table.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';

/**
 * The task list: the filter form over the tasks the viewer may see, and one page of the matching
 * ones with links to the pages before and after (the filters kept); as of a past day when asked. Pure.
 */
export function taskListPage(model: {
  viewer: Viewer;
  visible: readonly TaskFacts[];
  shown: readonly TaskFacts[];
  page: ListPage;
  filter: TaskFilter & { asOf?: string | undefined };
  errors?: QueryErrors;
  today: string;
  at: number;
  /** The plan shown and its selector. */
  plan?: PlanView;
}): SafeHtml {
  const { page } = model;
  const day = model.filter.asOf;
  return layout({
    title: day === undefined ? '任务列表' : `任务列表（截至${day}）`,
    viewer: model.viewer,
    current: '/tasks',
    notices: [...queryNotice(model.errors), ...(model.plan?.notices ?? []), ...(day === undefined ? [] : [{ kind: 'info' as const, text: `以下为根据审计日志重放的 ${day} 日终情况。` }])],
    body: html`${filterForm('/tasks', model.visible, model.filter, { asOf: { max: model.today }, errors: model.errors ?? {}, plan: model.plan?.field ?? '' })}
${taskTable(model.shown, model.at, '任务', { page })}
${page.pages === 1 ? '' : html`<nav class="pager" aria-label="分页">${page.number > 1 ? html`<a href="${taskListHref(model.filter, page.number - 1)}" rel="prev">上一页</a>` : ''} <span>第 ${page.number}/${page.pages} 页</span> ${page.number < page.pages ? html`<a href="${taskListHref(model.filter, page.number + 1)}" rel="next">下一页</a>` : ''}</nav>`}`,
  });
}

