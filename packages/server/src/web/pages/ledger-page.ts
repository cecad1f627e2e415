import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

/** The ledger page: the day the 台账 is as of, and its two downloads. Pure. */
export function ledgerPage(model: { viewer: Viewer; asOfDay: string; today: string }): SafeHtml {
  const query = `?asOf=${encodeURIComponent(model.asOfDay)}`;
  return layout({
    title: '督办台账',
    viewer: model.viewer,
    current: '/ledger',
    body: html`<form class="filters" method="get" action="/ledger"><div class="field"><label for="asOf">截至日期</label><input type="date" id="asOf" name="asOf" max="${model.today}" value="${model.asOfDay}"></div><div class="actions"><button type="submit" class="primary">确定</button></div></form>
<p>台账每项任务一行：所属部分、具体举措、任务内容、牵头与责任单位、完成时限、当前状态、红黄绿灯、最新进展、核验意见、逾期天数、约谈情况。</p>
<ul class="downloads-list">
<li><a class="button primary" href="/ledger.xlsx${query}" download>下载 Excel 台账（截至 ${model.asOfDay}）</a></li>
<li><a class="button secondary" href="/ledger.csv${query}" download>下载 CSV 台账（截至 ${model.asOfDay}）</a></li>
</ul>`,
  });
}
