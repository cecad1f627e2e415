import { light, lightLabels, partLight, partyUnits, reformTaskStates, stateLabels, taskParts } from '@duban/reform-task';
import type { Assessment, Summary, TaskFacts, Tally } from '../../reports/index.ts';
import type { CompletionWeek } from '../../reports/completion-trend.ts';
import { completionTrendChart } from '../charts/completion-trend-chart.ts';
import { lightsByUnitChart } from '../charts/lights-by-unit-chart.ts';
import type { UnitLights } from '../charts/lights-by-unit-chart.ts';
import { unitRankingChart } from '../charts/unit-ranking-chart.ts';
import { brief, taskHref } from '../view/badges.ts';
import { barChart } from '../view/bar-chart.ts';
import { filterForm } from '../forms/filter-form.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { stateLabel } from '../view/labels.ts';
import { layout, queryNotice } from '../view/layout.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';
import { TASKS_PER_PAGE, taskListHref, taskTable } from '../view/task-table.ts';
import type { Viewer } from '../session/web-viewer.ts';
import type { PlanView } from '../plans/page-plan.ts';
import { withPlan } from '../plans/page-plan.ts';

/** What the dashboard shows. */
export interface DashboardModel {
  readonly viewer: Viewer;
  /** Every task at the instant, for the filter's choices. */
  readonly all: readonly TaskFacts[];
  /** The tasks the filter keeps; the summary is of these. */
  readonly shown: readonly TaskFacts[];
  readonly summary: Summary;
  readonly filter: TaskFilter & { asOf?: string | undefined };
  /** Today (Asia/Shanghai), the latest day to look at. */
  readonly today: string;
  /** The instant shown, epoch ms. */
  readonly at: number;
  /** The day shown, when it is not now. */
  readonly asOfDay?: string | undefined;
  /** The query's refused fields, in Chinese, shown beside them. */
  readonly errors?: QueryErrors;
  /** Whether to show the 待核验 card (the office's). */
  readonly showWaiting?: boolean;
  /** The plan shown and its selector. */
  readonly plan?: PlanView;
  /** The whole plan's pictures: the units' assessment and the completion trend by week of the year. */
  readonly pictures?: { readonly assessment: Assessment; readonly trend: readonly CompletionWeek[] };
}

/** Each unit's tasks by light, a unit being any party (lead, responsible, member of a collective): what `/tasks?unit=` lists. Pure. */
function lightsByUnit(tasks: readonly TaskFacts[]): UnitLights[] {
  const rows = new Map<string, { unit: string; red: number; yellow: number; green: number }>();
  for (const { snapshot, task } of tasks) {
    const shade = light(snapshot);
    if (shade === 'none') continue;
    for (const unit of partyUnits(task)) {
      const row = rows.get(unit) ?? { unit, red: 0, yellow: 0, green: 0 };
      row[shade] += 1;
      rows.set(unit, row);
    }
  }
  return [...rows.values()];
}

/**
 * Each unit's own parts by light (its part done: green; not done: its task's light), a unit being any
 * unit with a part (a responsible unit, a member of a collective): what `/tasks?partUnit=&partLight=` lists. Pure.
 */
function lightsByPart(tasks: readonly TaskFacts[]): UnitLights[] {
  const rows = new Map<string, { unit: string; red: number; yellow: number; green: number }>();
  for (const { snapshot, task } of tasks) {
    for (const part of taskParts(task)) {
      const shade = partLight(snapshot, part);
      if (shade === 'none') continue;
      const row = rows.get(part.unit) ?? { unit: part.unit, red: 0, yellow: 0, green: 0 };
      row[shade] += 1;
      rows.set(part.unit, row);
    }
  }
  return [...rows.values()];
}

/** 图表: the unit ranking, the completion trend by week and the lights by lead unit, each bar a link to the list it counts. Pure. */
function pictures(model: DashboardModel): SafeHtml {
  if (model.pictures === undefined) return html``;
  const { assessment, trend } = model.pictures;
  const day = model.asOfDay;
  // The plan shown goes with each link: a bar counts that plan's tasks.
  const list = (filter: TaskFilter & { asOf?: string | undefined }) => withPlan(taskListHref(day === undefined || filter.asOf !== undefined ? filter : { ...filter, asOf: day }), model.plan);
  const today = day ?? model.today;
  return html`<section aria-labelledby="pictures-h"><h2 id="pictures-h">图表</h2>
<p class="muted">以下图表按全部任务统计（不受上方筛选影响）；点击条形可查看对应任务清单。</p>
<div class="charts charts-wide">
<figure>${completionTrendChart('chart-trend', trend, (week) => list({ done: true, ...(week.to === today ? {} : { asOf: week.to }) }))}<figcaption>完成趋势：每周末累计核验通过的任务数（柱上数字为当周新增）。</figcaption></figure>
<figure>${unitRankingChart('chart-ranking', assessment, (unit) => list({ unit }))}<figcaption>单位考核排名：条形为相对基础分的加减分，数字为得分。</figcaption></figure>
<figure>${lightsByUnitChart('chart-unit-lights', '各单位红黄绿灯', lightsByUnit(model.all), (unit, light) => list({ unit, light }))}<figcaption>各单位（牵头或责任）红黄绿灯任务数，红灯多者在前。</figcaption></figure>
<figure>${lightsByUnitChart('chart-part-lights', '各单位承担部分红黄绿灯', lightsByPart(model.all), (unit, light) => list({ partUnit: unit, partLight: light }))}<figcaption>各单位承担部分的红黄绿灯：本单位部分已完成的计绿灯，未完成的随所在任务的灯色；点击查看该单位该灯色的部分所在的任务。</figcaption></figure>
</div>
</section>`;
}

function tallyTable(caption: string, head: string, rows: readonly ({ name: string } & Tally)[]): SafeHtml {
  return html`<table class="stack tally">
<caption>${caption}</caption>
<thead><tr><th scope="col">${head}</th><th scope="col">任务数</th><th scope="col">已销号</th><th scope="col">已核验</th><th scope="col">逾期</th><th scope="col">红灯</th><th scope="col">黄灯</th><th scope="col">绿灯</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr><th scope="row" data-label="${head}">${r.name}</th><td data-label="任务数">${r.total}</td><td data-label="已销号">${r.closed}</td><td data-label="已核验">${r.verified}</td><td data-label="逾期">${r.overdue}</td><td data-label="红灯">${r.red}</td><td data-label="黄灯">${r.yellow}</td><td data-label="绿灯">${r.green}</td></tr>`,
  )}</tbody>
</table>`;
}

function filtered(filter: TaskFilter): boolean {
  return filter.state !== undefined || filter.light !== undefined || filter.unit !== undefined || filter.part !== undefined;
}

/** A figure linking to the task list it counts. Pure. */
function card(label: string, value: string | number, href: string, className = ''): SafeHtml {
  return html`<a class="stat stat-link ${className}" href="${href}"><span class="stat-value">${value}</span><span class="stat-label">${label}</span></a>`;
}

/** The plan at a glance: counts, charts, tallies by part and lead unit, the overdue list, the filtered tasks. Pure. */
export function dashboardPage(model: DashboardModel): SafeHtml {
  const { summary } = model;
  const a = summary.activity;
  // Every figure and bar links to the list of the tasks it counts: the same filters, the same day.
  const list = (extra: TaskFilter) => taskListHref({ ...model.filter, ...extra });
  const day = model.asOfDay === undefined ? '' : `?asOf=${model.asOfDay}`;
  const links = html`<p class="downloads">下载台账：<a href="${withPlan(`/ledger.csv${day}`, model.plan)}">CSV</a> · <a href="${withPlan(`/ledger.xlsx${day}`, model.plan)}">Excel</a></p>`;
  return layout({
    title: model.asOfDay === undefined ? '全局看板' : `全局看板（截至${model.asOfDay}）`,
    viewer: model.viewer,
    current: '/dashboard',
    notices: [...queryNotice(model.errors), ...(model.plan?.notices ?? []), ...(model.asOfDay === undefined ? [] : [{ kind: 'info' as const, text: `以下为根据审计日志重放的 ${model.asOfDay} 日终情况。` }])],
    body: html`${filterForm('/dashboard', model.all, model.filter, { asOf: { max: model.today }, errors: model.errors ?? {}, plan: model.plan?.field ?? '' })}
<section aria-labelledby="stats-h"><h2 id="stats-h">总体情况</h2>
<div class="stats">${card('任务总数', summary.total, list({}))}${card('完成率', summary.completion.percent, list({ done: true }))}${card('逾期', summary.overdue.length, list({ overdue: true }), 'stat-red')}${card('红灯', summary.byLight.red, list({ light: 'red' }), 'stat-red')}${card('黄灯', summary.byLight.yellow, list({ light: 'yellow' }), 'stat-yellow')}${card('绿灯', summary.byLight.green, list({ light: 'green' }), 'stat-green')}${
      model.showWaiting === true ? card('待核验', summary.byState.reported, list({ state: 'reported' })) : ''
    }</div>
<div class="charts">
${barChart('chart-state', '按状态统计', reformTaskStates.map((s) => ({ label: stateLabels[s], value: summary.byState[s], className: `bar-${s}`, href: list({ state: s }) })))}
${barChart('chart-light', '按红黄绿灯统计', (['red', 'yellow', 'green', 'none'] as const).map((l) => ({ label: lightLabels[l], value: summary.byLight[l], className: `bar-light-${l}`, href: list({ light: l }) })))}
</div>
<p class="activity">督办 ${a.urges} 次 · 预警 ${a.warnings} 次 · 逾期 ${a.deadlinesPassed} 次 · 退回 ${a.rejections} 次 · 启动约谈 ${a.interviewsStarted} 次 · 约谈记录 ${a.interviewsHeld} 次 · 移交问责 ${a.referrals} 次 · 表扬 ${a.commendations} 次</p>
${links}
</section>
${pictures(model)}
<section aria-labelledby="overdue-h"><h2 id="overdue-h">逾期任务</h2>${
      summary.overdue.length === 0
        ? html`<p class="empty">没有逾期任务。</p>`
        : html`<table class="stack"><caption>逾期任务（${summary.overdue.length} 项，逾期最久者在前）</caption><thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">牵头单位</th><th scope="col">现行时限</th><th scope="col">逾期天数</th><th scope="col">状态</th></tr></thead><tbody>${summary.overdue.map(
            (t) => html`<tr><td data-label="序号">${t.number}</td><td data-label="任务内容"><a href="${taskHref(t.id)}">${brief(t.text)}</a></td><td data-label="牵头单位">${t.leadUnits.join('、')}</td><td data-label="现行时限">${t.dueDate ?? '—'}</td><td data-label="逾期天数"><span class="overdue">${t.days}</span></td><td data-label="状态">${stateLabel(t.state)}</td></tr>`,
          )}</tbody></table>`
    }</section>
<section aria-labelledby="part-h"><h2 id="part-h">按所属部分</h2>${tallyTable('按所属部分统计', '所属部分', summary.byPart.map((p) => ({ name: p.part, ...p })))}</section>
<section aria-labelledby="lead-h"><h2 id="lead-h">按牵头单位</h2>${tallyTable('按牵头单位统计（一项任务有多个牵头单位时各计一次）', '牵头单位', summary.byLeadUnit.map((u) => ({ name: u.unit, ...u })))}</section>
<section aria-labelledby="list-h"><h2 id="list-h">任务清单</h2>${
      filtered(model.filter)
        ? html`${taskTable(model.shown.slice(0, TASKS_PER_PAGE), model.at, '符合筛选条件的任务', { page: { number: 1, pages: Math.ceil(model.shown.length / TASKS_PER_PAGE), total: model.shown.length } })}${
            model.shown.length > TASKS_PER_PAGE ? html`<p><a href="${taskListHref(model.filter)}">在任务列表中查看全部 ${model.shown.length} 项</a></p>` : ''
          }`
        : html`<p>共 ${model.shown.length} 项任务。按状态、红黄绿灯、单位或所属部分筛选后在此列出，或<a href="/tasks">查看全部任务</a>。</p>`
    }</section>`,
  });
}

