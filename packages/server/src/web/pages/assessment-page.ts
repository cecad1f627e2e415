import type { Assessment } from '../../reports/index.ts';
import { taskHref } from '../view/badges.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

function points(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Whether the unit at `index` shares its score (and so its rank) with a neighbour. */
function tied(units: readonly { readonly score: number }[], index: number): boolean {
  const score = units[index]!.score;
  return units[index - 1]?.score === score || units[index + 1]?.score === score;
}

/** The assessment table: each unit's score, gains and losses, with every reason behind a disclosure. Pure. */
export function assessmentPage(model: { viewer: Viewer; assessment: Assessment; asOfDay: string; today: string; taskIds: ReadonlyMap<number, string> }): SafeHtml {
  const { assessment } = model;
  return layout({
    title: '单位考核',
    viewer: model.viewer,
    current: '/assessment',
    body: html`<form class="filters" method="get" action="/assessment"><div class="field"><label for="asOf">截至日期</label><input type="date" id="asOf" name="asOf" max="${model.today}" value="${model.asOfDay}"></div><div class="actions"><button type="submit" class="primary">计算</button></div></form>
<p class="muted">规则版本 ${assessment.rulesVersion}，基础分 ${assessment.base} 分；截至 ${shanghaiDateTime(assessment.asOf)}。点击“明细”可查看每一项加减分的依据。</p>
<table class="stack assessment">
<caption>各单位考核得分（${assessment.units.length} 个单位，得分高者在前）</caption>
<thead><tr><th scope="col">名次</th><th scope="col">单位</th><th scope="col">得分</th><th scope="col">加分</th><th scope="col">扣分</th><th scope="col">明细</th></tr></thead>
<tbody>${assessment.units.map(
      (unit, i, all) => html`<tr>
<td data-label="名次">${tied(all, i) ? `${unit.rank}（并列）` : unit.rank}</td>
<th scope="row" data-label="单位">${unit.unit}</th>
<td data-label="得分"><strong>${unit.score}</strong></td>
<td data-label="加分">${points(unit.gained)}</td>
<td data-label="扣分">${points(unit.lost)}</td>
<td data-label="明细">${
        unit.byRule.length === 0
          ? html`<span class="muted">无加减分</span>`
          : html`<details><summary>明细（${unit.byRule.reduce((n, rule) => n + rule.count, 0)} 项）</summary><ul class="reasons">${
              unit.reasons === undefined
                ? unit.byRule.map((rule) => html`<li><span class="points ${rule.points < 0 ? 'minus' : 'plus'}">${points(rule.points)}</span> ${rule.text} × ${rule.count}</li>`)
                : unit.reasons.map((r) => {
                    const id = model.taskIds.get(r.taskNumber);
                    return html`<li><span class="points ${r.points < 0 ? 'minus' : 'plus'}">${points(r.points)}</span> ${id === undefined ? `第${r.taskNumber}项` : html`<a href="${taskHref(id)}">第${r.taskNumber}项</a>`}：${r.text}${r.via === null ? '' : `（经${r.via}）`}<span class="muted"> · ${shanghaiDateTime(r.at)} · 日志序号 ${r.seq}</span></li>`;
                  })
            }</ul></details>`
      }</td>
</tr>`,
    )}</tbody>
</table>`,
  });
}
