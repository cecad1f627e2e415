import { brief, lightBadge, stateBadge, taskHref } from '../view/badges.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanChange } from '../../reports/plan-changes.ts';

/** The difference between the plan at the end of two days: each task whose state, light or record changed. Pure. */
export function diffPage(model: { viewer: Viewer; from: string; to: string; today: string; changes: readonly PlanChange[]; unchanged: number }): SafeHtml {
  return layout({
    title: '两日对比',
    viewer: model.viewer,
    current: '/history/diff',
    body: html`<form class="filters" method="get" action="/history/diff">
<div class="field"><label for="diff-from">较早日期</label><input type="date" id="diff-from" name="from" max="${model.today}" value="${model.from}" required></div>
<div class="field"><label for="diff-to">较晚日期</label><input type="date" id="diff-to" name="to" max="${model.today}" value="${model.to}" required></div>
<div class="actions"><button type="submit" class="primary">对比</button></div>
</form>
<p class="lead">${model.from} 日终至 ${model.to} 日终：${model.changes.length} 项任务有变化，${model.unchanged} 项没有新的办理记录。</p>
${
  model.changes.length === 0
    ? html`<p class="empty">两日之间没有任务发生变化。</p>`
    : html`<table class="stack"><caption>有变化的任务（${model.changes.length} 项）</caption><thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">状态变化</th><th scope="col">红黄绿灯变化</th><th scope="col">新增办理记录</th></tr></thead><tbody>${model.changes.map(
        (c) => html`<tr><td data-label="序号">${c.number}</td><td data-label="任务内容"><a href="${taskHref(c.taskId)}">${brief(c.text)}</a></td><td data-label="状态变化">${c.from === null ? html`（新建）` : stateBadge(c.from.state)} → ${stateBadge(c.to.state)}</td><td data-label="红黄绿灯变化">${c.from === null ? '—' : lightBadge(c.from.light)} → ${lightBadge(c.to.light)}</td><td data-label="新增办理记录">${c.to.version - (c.from?.version ?? 0)} 条</td></tr>`,
      )}</tbody></table>`
}`,
  });
}
