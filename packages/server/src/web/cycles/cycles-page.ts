import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { CycleStatus, PlanCycles } from '../../cycles/reporting-cycles.ts';
import { chineseDate, shanghaiDateTime } from '../../time/calendar.ts';
import type { PlanView } from '../plans/page-plan.ts';
import { withPlan } from '../plans/page-plan.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { taskHref } from '../view/badges.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** What the 报送周期 form was sent with, and the messages beside its fields. */
export interface CyclesFormState {
  readonly typed: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
}

export interface CyclesPageModel {
  readonly viewer: Viewer;
  readonly plan: PlanView;
  readonly planId: string | undefined;
  readonly cycles: PlanCycles | undefined;
  readonly closed: readonly { key: string; dueAt: string; parts: number; reported: number }[];
  /** 报送情况 of the cycle shown (the running one by default). */
  readonly status: CycleStatus | undefined;
  /** May the viewer set the cycles (the office)? */
  readonly setter: boolean;
  readonly notices: readonly Notice[];
  readonly form?: CyclesFormState;
}

function field(name: string, label: string, control: SafeHtml, errors: Readonly<Record<string, string>>): SafeHtml {
  const error = errors[name];
  return html`<div class="field${error === undefined ? '' : ' has-error'}"><label for="cycles-${name}">${label}</label>${control}${error === undefined ? '' : html`<p class="field-error" id="cycles-${name}-error">${error}</p>`}</div>`;
}

function settingsForm(model: CyclesPageModel): SafeHtml {
  const settings = model.cycles?.settings ?? null;
  const typed = model.form?.typed ?? {
    frequency: settings?.frequency ?? 'monthly',
    day: settings === null ? '5' : String(settings.day),
    remindDays: String(settings?.remindDays ?? 3),
  };
  const errors = model.form?.errors ?? {};
  const invalid = (name: string) => (errors[name] === undefined ? '' : html` aria-invalid="true" aria-describedby="cycles-${name}-error"`);
  const days = ['last', ...Array.from({ length: 28 }, (_, i) => String(i + 1))];
  return html`<form method="post" action="${withPlan('/cycles', model.plan)}" class="cycles-form">${csrfField(model.viewer)}<input type="hidden" name="plan" value="${model.planId ?? ''}">
${field('frequency', '报送周期', html`<select id="cycles-frequency" name="frequency"${invalid('frequency')}>${[['monthly', '每月'], ['quarterly', '每季度（首月某日，或季末）'], ['none', '不设报送周期']].map(([value, label]) => html`<option value="${value!}"${typed['frequency'] === value ? html` selected` : ''}>${label!}</option>`)}</select>`, errors)}
${field('day', '报送日', html`<select id="cycles-day" name="day"${invalid('day')}>${days.map((day) => html`<option value="${day}"${typed['day'] === day ? html` selected` : ''}>${day === 'last' ? '月末（季末）' : `${day}日`}</option>`)}</select>`, errors)}
${field('remindDays', '提前提醒天数', html`<input id="cycles-remindDays" name="remindDays" inputmode="numeric" value="${typed['remindDays'] ?? '3'}"${invalid('remindDays')}>`, errors)}
<p class="hint">报送日只能选 1–28 日或月末：并非每个月都有 29、30、31 日。本期已有单位报送后，须待本期截止再修改。</p>
<button type="submit">保存报送周期</button></form>`;
}

function statusTable(status: CycleStatus, model: CyclesPageModel): SafeHtml {
  const download = withPlan(`/cycles/${status.cycle.key}/reports.xlsx`, model.plan);
  return html`<section aria-labelledby="status-h"><h2 id="status-h">${status.cycle.key}期报送情况（${chineseDate(status.cycle.dueDate)}截止${status.closed ? '，已截止' : ''}）</h2>
<p>应报 ${status.parts.length} 项，已报 <strong>${status.reported}</strong> 项，未报 <strong class="overdue">${status.unreported}</strong> 项。 <a href="${download}" download>下载报送情况表（Excel）</a></p>
${
  status.parts.length === 0
    ? html`<p class="empty">本期没有应报送的任务。</p>`
    : html`<table class="tasks stack"><caption>报送情况</caption><thead><tr><th scope="col">序号</th><th scope="col">单位</th><th scope="col">分工</th><th scope="col">报送情况</th><th scope="col">报送时间</th></tr></thead><tbody>${status.parts.map(
        (part) => html`<tr><td data-label="序号"><a href="${taskHref(part.taskId)}">${part.number}</a></td><td data-label="单位">${part.unit}</td><td data-label="分工">${part.lead ? '牵头' : '配合'}</td><td data-label="报送情况">${part.seq === null ? html`<span class="tag late">未报</span>` : html`<span class="tag ok">已报</span>`}</td><td data-label="报送时间">${part.reportedAt === null ? '—' : shanghaiDateTime(Date.parse(part.reportedAt))}</td></tr>`,
      )}</tbody></table>`
}</section>`;
}

/**
 * 信息报送: a plan's reporting cycles (the office sets them here), 报送情况 of the running cycle or of a
 * closed one (who reported and who did not, with the 报送情况表 to download) and the closed cycles. Pure.
 */
export function cyclesPage(model: CyclesPageModel): SafeHtml {
  const cycles = model.cycles;
  const current = cycles?.current ?? null;
  return layout({
    title: '信息报送',
    viewer: model.viewer,
    current: '/cycles',
    notices: [...model.plan.notices, ...model.notices],
    body: html`${model.plan.field === '' ? '' : html`<form method="get" action="/cycles" class="filters">${model.plan.field}<button type="submit">查看</button></form>`}
<section aria-labelledby="settings-h"><h2 id="settings-h">报送周期</h2><p>现行：<strong>${cycles?.description ?? '不设报送周期'}</strong>${current === null ? '' : html`；本期 ${current.key}，${chineseDate(current.dueDate)}截止`}</p>
${model.setter && model.planId !== undefined ? settingsForm(model) : ''}</section>
${model.status === undefined ? '' : statusTable(model.status, model)}
${
  model.closed.length === 0
    ? ''
    : html`<section aria-labelledby="closed-h"><h2 id="closed-h">已截止各期</h2><ul>${model.closed.map(
        (cycle) => html`<li><a href="${withPlan(`/cycles?cycle=${cycle.key}`, model.plan)}">${cycle.key}期</a>：应报 ${cycle.parts} 项，已报 ${cycle.reported} 项，未报 ${cycle.parts - cycle.reported} 项</li>`,
      )}</ul></section>`
}`,
  });
}
