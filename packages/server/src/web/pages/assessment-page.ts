import type { Assessment } from '../../reports/index.ts';
import { taskHref } from '../view/badges.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout, queryNotice } from '../view/layout.ts';
import { dateField } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';
import { withPlan } from '../plans/page-plan.ts';

function points(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Whether the unit at `index` shares its score (and so its rank) with a neighbour. */
function tied(units: readonly { readonly score: number }[], index: number): boolean {
  const score = units[index]!.score;
  return units[index - 1]?.score === score || units[index + 1]?.score === score;
}

/** The assessment table: each unit's score, gains and losses, with every reason behind a disclosure (for a unit, its own row only). Pure. */
export function assessmentPage(model: { viewer: Viewer; assessment: Assessment; asOfDay: string; today: string; taskIds: ReadonlyMap<number, string>; errors?: QueryErrors; plan?: PlanView; period?: string }): SafeHtml {
  const { assessment } = model;
  const own = model.viewer.principal.role === 'unit' ? model.viewer.principal.unit : null;
  // A unit reads only its own row and its reasons, never another unit's.
  const rows = assessment.units.map((unit, i) => ({ unit, i })).filter(({ unit }) => own === null || unit.unit === own);
  const caption = own === null ? `各单位考核得分（${assessment.units.length} 个单位，得分高者在前）` : `${own}考核得分（名次为在全部被考核单位中的名次）`;
  return layout({
    title: own === null ? '单位考核' : '本单位考核',
    viewer: model.viewer,
    current: '/assessment',
    notices: [...queryNotice(model.errors), ...(model.plan?.notices ?? [])],
    body: html`<form class="filters" method="get" action="/assessment">${model.plan?.field ?? ''}${dateField({ id: 'asOf', name: 'asOf', label: '截至日期', max: model.today, value: model.period === undefined ? model.asOfDay : '', error: model.errors?.['asOf'] })}
<div class="field${model.errors?.['period'] === undefined ? '' : ' has-error'}"><label for="period">考核期间</label><input id="period" name="period" type="text" inputmode="text" placeholder="如 2023Q3 或 2023" value="${model.period ?? ''}" aria-describedby="period-hint${model.errors?.['period'] === undefined ? '' : ' period-error'}"${model.errors?.['period'] === undefined ? '' : html` aria-invalid="true"`}><p class="hint" id="period-hint">季度（如 2023Q3）或年度（如 2023）：只计该期间内的加减分；与截至日期二选一</p>${model.errors?.['period'] === undefined ? '' : html`<p class="field-error" id="period-error">${model.errors['period']}</p>`}</div>
<div class="actions"><button type="submit" class="primary">计算</button></div></form>
<p class="muted">规则版本 ${assessment.rulesVersion}，基础分 ${assessment.base} 分；${assessment.period === undefined ? '' : `考核期间 ${assessment.period.name}（${assessment.period.from} 至 ${assessment.period.to}），`}截至 ${shanghaiDateTime(assessment.asOf)}。点击“明细”可查看每一项加减分的依据。 <a href="/assessment.xlsx${model.period === undefined ? `?asOf=${model.asOfDay}` : `?period=${model.period}`}">下载 Excel</a></p>
<table class="stack assessment">
<caption>${caption}</caption>
<thead><tr><th scope="col">名次</th><th scope="col">单位</th><th scope="col">得分</th><th scope="col">加分</th><th scope="col">扣分</th><th scope="col">明细</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="6">本单位不在考核范围内，或尚无考核记录。</td></tr>` : ''}${rows.map(
      ({ unit, i }) => html`<tr>
<td data-label="名次">${tied(assessment.units, i) ? `${unit.rank}（并列）` : unit.rank}</td>
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
