import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout, queryNotice } from '../view/layout.ts';
import { dateField } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';
import { withPlan } from '../plans/page-plan.ts';

/** The ledger page: the day the 台账 is as of, and its two downloads. Pure. */
export function ledgerPage(model: { viewer: Viewer; asOfDay: string; today: string; errors?: QueryErrors; plan?: PlanView }): SafeHtml {
  const query = withPlan(`?asOf=${encodeURIComponent(model.asOfDay)}`, model.plan);
  return layout({
    title: '督办台账',
    viewer: model.viewer,
    current: '/ledger',
    notices: [...queryNotice(model.errors), ...(model.plan?.notices ?? [])],
    body: html`<form class="filters" method="get" action="/ledger">${model.plan?.field ?? ''}${dateField({ id: 'asOf', name: 'asOf', label: '截至日期', max: model.today, value: model.asOfDay, error: model.errors?.['asOf'] })}<div class="actions"><button type="submit" class="primary">确定</button></div></form>
<p>台账每项任务一行：所属部分、具体举措、任务内容、牵头与责任单位、完成时限、当前状态、红黄绿灯、最新进展、核验意见、逾期天数、报送情况、约谈情况、领导批示（最新一条）。已报送的任务，逾期天数按报送时计算，逾期报送的在“报送情况”中注明，核验、销号后仍保留。</p>
<ul class="downloads-list">
<li><a class="button primary" href="/ledger.xlsx${query}" download>下载 Excel 台账（截至 ${model.asOfDay}）</a></li>
<li><a class="button secondary" href="/ledger.csv${query}" download>下载 CSV 台账（截至 ${model.asOfDay}）</a></li>
</ul>`,
  });
}
