import type { ReportTask } from '../../reports/index.ts';
import { filterForm } from '../filter-form.ts';
import { html } from '../html.ts';
import type { SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';
import type { TaskFilter } from '../plan-tasks.ts';
import { taskTable } from '../task-table.ts';
import type { Viewer } from '../web-viewer.ts';

/** The task list: the filter form over the tasks the viewer may see, and the matching ones. Pure. */
export function taskListPage(model: { viewer: Viewer; visible: readonly ReportTask[]; shown: readonly ReportTask[]; filter: TaskFilter; at: number }): SafeHtml {
  return layout({
    title: '任务列表',
    viewer: model.viewer,
    current: '/tasks',
    body: html`${filterForm('/tasks', model.visible, model.filter)}
${taskTable(model.shown, model.at, '任务')}`,
  });
}
