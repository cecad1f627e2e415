import type { ReportTask } from '../../reports/index.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout, queryNotice } from '../view/layout.ts';
import { dateField } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import { taskTable } from '../view/task-table.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { stateLabel } from '../view/labels.ts';

/** The plan as it stood at the end of a day, replayed from the log. Pure. */
export function historyPage(model: { viewer: Viewer; asOfDay: string; time?: string | undefined; today: string; tasks: readonly ReportTask[]; at: number; errors?: QueryErrors }): SafeHtml {
  const errors = model.errors ?? {};
  const timeError = errors['time'];
  const when = model.time === undefined ? `${model.asOfDay} 日终` : `${model.asOfDay} ${model.time}`;
  const counts = new Map<string, number>();
  for (const { snapshot } of model.tasks) counts.set(snapshot.value, (counts.get(snapshot.value) ?? 0) + 1);
  return layout({
    title: `历史看板（截至${when}）`,
    viewer: model.viewer,
    current: '/history',
    notices: [...queryNotice(errors), { kind: 'info', text: `以下为根据审计日志重放得到的 ${when}各任务状态，不读取当前存储的状态。` }],
    body: html`<form class="filters" method="get" action="/history">${dateField({ id: 'asOf', name: 'asOf', label: '查看日期', max: model.today, value: model.asOfDay, required: true, error: errors['asOf'] })}<div class="field${timeError === undefined ? '' : ' has-error'}"><label for="time">时刻（选填，不填为当日日终）</label><input type="time" id="time" name="time" step="1" value="${model.time ?? ''}"${timeError === undefined ? '' : html` aria-invalid="true" aria-describedby="time-error"`}>${timeError === undefined ? '' : html`<p class="field-error" id="time-error">${timeError}</p>`}</div><div class="actions"><button type="submit" class="primary">查看</button><a class="button secondary" href="/history/diff?to=${model.asOfDay}">与其他日期对比</a></div></form>
<p class="lead">${[...counts].map(([state, n]) => `${stateLabel(state)} ${n} 项`).join('，') || '当日尚无任务'}。</p>
${taskTable(model.tasks, model.at, `${when}的任务`)}`,
  });
}
