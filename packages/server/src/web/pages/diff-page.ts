import { brief, lightBadge, stateBadge, taskHref } from '../view/badges.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout, queryNotice } from '../view/layout.ts';
import { dateField } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanChange } from '../../reports/plan-changes.ts';

/** The difference between the plan at the end of two days: each task whose state, light or record changed. Pure. */
export function diffPage(model: { viewer: Viewer; from: string; to: string; today: string; result?: { changes: readonly PlanChange[]; unchanged: number }; errors?: QueryErrors }): SafeHtml {
  const errors = model.errors ?? {};
  const form = html`<form class="filters" method="get" action="/history/diff">
${dateField({ id: 'diff-from', name: 'from', label: '较早日期', max: model.today, value: model.from, required: true, error: errors['from'] })}
${dateField({ id: 'diff-to', name: 'to', label: '较晚日期', max: model.today, value: model.to, required: true, error: errors['to'] })}
<div class="actions"><button type="submit" class="primary">对比</button></div>
</form>`;
  const { result } = model;
  return layout({
    title: '两日对比',
    viewer: model.viewer,
    current: '/history/diff',
    notices: queryNotice(errors),
    body: result === undefined ? form : html`${form}
<p class="lead">${model.from} 日终至 ${model.to} 日终：${result.changes.length} 项任务有变化，${result.unchanged} 项没有新的办理记录。</p>
${
  result.changes.length === 0
    ? html`<p class="empty">两日之间没有任务发生变化。</p>`
    : html`<table class="stack"><caption>有变化的任务（${result.changes.length} 项）</caption><thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">状态变化</th><th scope="col">红黄绿灯变化</th><th scope="col">新增办理记录</th></tr></thead><tbody>${result.changes.map(
        (c) => html`<tr><td data-label="序号">${c.number}</td><td data-label="任务内容"><a href="${taskHref(c.taskId)}">${brief(c.text)}</a></td><td data-label="状态变化">${c.from === null ? html`（新建）` : stateBadge(c.from.state)} → ${stateBadge(c.to.state)}</td><td data-label="红黄绿灯变化">${c.from === null ? '—' : lightBadge(c.from.light)} → ${lightBadge(c.to.light)}</td><td data-label="新增办理记录">${c.to.version - (c.from?.version ?? 0)} 条</td></tr>`,
      )}</tbody></table>`
}`,
  });
}
