import type { Circular } from '../../reports/index.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { csrfField, layout, queryNotice } from '../view/layout.ts';
import { dateField } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';

/** The circular page: a period form and, once chosen, the circular's overview with a link to the printable text. Pure. */
export function circularPage(model: { viewer: Viewer; from: string; to: string; today: string; circular?: Circular; errors?: QueryErrors; plan?: PlanView; issueKey?: string }): SafeHtml {
  const errors = model.errors ?? {};
  const { circular } = model;
  const query = `from=${encodeURIComponent(model.from)}&to=${encodeURIComponent(model.to)}${model.plan === undefined || model.plan.param === '' ? '' : `&${model.plan.param}`}`;
  return layout({
    title: '情况通报',
    viewer: model.viewer,
    current: '/circular',
    notices: [...queryNotice(errors), ...(model.plan?.notices ?? [])],
    body: html`<form class="filters" method="get" action="/circular">
${model.plan?.field ?? ''}
${dateField({ id: 'from', name: 'from', label: '起始日期', max: model.today, value: model.from, required: true, error: errors['from'] })}
${dateField({ id: 'to', name: 'to', label: '截止日期', max: model.today, value: model.to, required: true, error: errors['to'] })}
<div class="actions"><button type="submit" class="primary">生成通报</button></div>
</form>
${
  circular === undefined
    ? html`<p class="muted">选择通报期间后生成。通报依据审计日志，按截止日期日终的情况统计。</p>`
    : html`<section aria-labelledby="circular-h" class="card">
<h2 id="circular-h">${circular.title}</h2>
${circular.sections.overview.map((p) => html`<p>${p}</p>`)}
<p>已完成任务 ${circular.sections.completed.tasks.length} 项；逾期未完成 ${circular.sections.overdue.tasks.length} 项；表扬单位 ${circular.sections.commended.units.length} 个；通报批评单位 ${circular.sections.criticised.units.length} 个。</p>
<p><a class="button primary" href="/circular/view?${query}">查看通报全文（可打印）</a></p>
${
  model.issueKey === undefined
    ? ''
    : html`<form method="post" action="/circular/issue" class="issue-form">${csrfField(model.viewer)}<input type="hidden" name="_key" value="${model.issueKey}"><input type="hidden" name="from" value="${model.from}"><input type="hidden" name="to" value="${model.to}">
<p class="muted">印发后取得文号，记入发文登记，并通知通报点名的各单位；印发后内容不再改变。</p>
<div class="actions"><button type="submit" class="primary">印发此通报</button> <a href="/circulars">已印发通报</a></div></form>`
}
</section>`
}`,
  });
}
