import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { CycleStatus, PlanCycles, TaskCycles } from '../../cycles/reporting-cycles.ts';
import { chineseDate, shanghaiDateTime } from '../../time/calendar.ts';
import type { PlanView } from '../plans/page-plan.ts';
import { withPlan } from '../plans/page-plan.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { taskHref } from '../view/badges.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** What the 报送周期 form was sent with, and the messages beside its fields. */
export interface CyclesFormState {
  /** Which form: the plan's (absent), a task's own (its number), or the form adding one (`new`). */
  readonly task?: string;
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

function field(name: string, label: string, control: SafeHtml, errors: Readonly<Record<string, string>>, prefix = 'cycles'): SafeHtml {
  const error = errors[name];
  return html`<div class="field${error === undefined ? '' : ' has-error'}"><label for="${prefix}-${name}">${label}</label>${control}${error === undefined ? '' : html`<p class="field-error" id="${prefix}-${name}-error">${error}</p>`}</div>`;
}

const FREQUENCIES = [
  ['monthly', '每月'],
  ['quarterly', '每季度（首月某日，或季末）'],
  ['none', '不设报送周期'],
] as const;
const DAYS = ['last', ...Array.from({ length: 28 }, (_, i) => String(i + 1))];

/** The frequency, due day and reminder fields of a cycles form, ids prefixed by `prefix`. Pure. */
function settingsFields(prefix: string, typed: Readonly<Record<string, string>>, errors: Readonly<Record<string, string>>): SafeHtml {
  const invalid = (name: string) => (errors[name] === undefined ? '' : html` aria-invalid="true" aria-describedby="${prefix}-${name}-error"`);
  return html`${field('frequency', '报送周期', html`<select id="${prefix}-frequency" name="frequency"${invalid('frequency')}>${FREQUENCIES.map(([value, label]) => html`<option value="${value}"${typed['frequency'] === value ? html` selected` : ''}>${label}</option>`)}</select>`, errors, prefix)}
${field('day', '报送日', html`<select id="${prefix}-day" name="day"${invalid('day')}>${DAYS.map((day) => html`<option value="${day}"${typed['day'] === day ? html` selected` : ''}>${day === 'last' ? '月末（季末）' : `${day}日`}</option>`)}</select>`, errors, prefix)}
${field('remindDays', '提前提醒天数', html`<input id="${prefix}-remindDays" name="remindDays" inputmode="numeric" value="${typed['remindDays'] ?? '3'}"${invalid('remindDays')}>`, errors, prefix)}`;
}

/** The form giving a task cycles of its own (`own` absent: a new one, the task named by number), and removing them. Pure. */
function taskForm(model: CyclesPageModel, own: TaskCycles | undefined): SafeHtml {
  const which = own === undefined ? 'new' : String(own.number);
  const sent = model.form?.task === which ? model.form : undefined;
  const typed = sent?.typed ?? { task: own === undefined ? '' : String(own.number), frequency: own?.settings.frequency ?? 'monthly', day: own === undefined ? '5' : String(own.settings.day), remindDays: String(own?.settings.remindDays ?? 3) };
  const errors = sent?.errors ?? {};
  const prefix = `task-cycles-${which}`;
  const invalid = errors['task'] === undefined ? '' : html` aria-invalid="true" aria-describedby="${prefix}-task-error"`;
  const taskField =
    own === undefined
      ? field('task', '任务序号', html`<input id="${prefix}-task" name="task" inputmode="numeric" value="${typed['task'] ?? ''}"${invalid}>`, errors, prefix)
      : html`<input type="hidden" name="task" value="${which}">`;
  const save = html`<form method="post" action="${withPlan('/cycles/tasks', model.plan)}" class="cycles-form">${csrfField(model.viewer)}<input type="hidden" name="plan" value="${model.planId ?? ''}">${taskField}
${settingsFields(prefix, typed, errors)}
<button type="submit">${own === undefined ? '为该任务单独设定' : '保存'}</button></form>`;
  if (own === undefined) return save;
  return html`${save}<form method="post" action="${withPlan('/cycles/tasks/remove', model.plan)}" class="inline">${csrfField(model.viewer)}<input type="hidden" name="plan" value="${model.planId ?? ''}"><input type="hidden" name="task" value="${which}"><button type="submit">取消单独设定，改按计划报送</button></form>`;
}

/** The tasks with cycles of their own: each in words, and (for the office) its form; then the form adding one. Pure. */
function overridesSection(model: CyclesPageModel): SafeHtml {
  const overrides = model.cycles?.overrides ?? [];
  if (overrides.length === 0 && !(model.setter && model.planId !== undefined)) return html``;
  return html`<section aria-labelledby="overrides-h"><h2 id="overrides-h">单独设定报送周期的任务</h2>
${overrides.length === 0 ? html`<p class="empty">各项任务均按计划的报送周期报送。</p>` : ''}
${overrides.map(
  (own) => html`<article class="task-cycles"><h3><a href="${taskHref(own.taskId)}">第${own.number}项</a>：${own.description}${own.current === null ? '' : html`；本期 ${own.current.key}，${chineseDate(own.current.dueDate)}截止`}</h3>${model.setter ? taskForm(model, own) : ''}</article>`,
)}
${model.setter && model.planId !== undefined ? html`<h3>为某项任务单独设定</h3><p class="hint">单独设定后，该任务各单位按自己的周期报送，不再按计划的报送周期考核；本期已有单位报送的，须待本期截止再修改。</p>${taskForm(model, undefined)}` : ''}</section>`;
}

function settingsForm(model: CyclesPageModel): SafeHtml {
  const settings = model.cycles?.settings ?? null;
  const sent = model.form?.task === undefined ? model.form : undefined;
  const typed = sent?.typed ?? {
    frequency: settings?.frequency ?? 'monthly',
    day: settings === null ? '5' : String(settings.day),
    remindDays: String(settings?.remindDays ?? 3),
  };
  return html`<form method="post" action="${withPlan('/cycles', model.plan)}" class="cycles-form">${csrfField(model.viewer)}<input type="hidden" name="plan" value="${model.planId ?? ''}">
${settingsFields('cycles', typed, sent?.errors ?? {})}
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
    : html`<table class="tasks stack"><caption>报送情况</caption><thead><tr><th scope="col">序号</th><th scope="col">单位</th><th scope="col">分工</th><th scope="col">报送情况</th><th scope="col">报送时间</th><th scope="col">报送周期</th></tr></thead><tbody>${status.parts.map(
        (part) => html`<tr><td data-label="序号"><a href="${taskHref(part.taskId)}">${part.number}</a></td><td data-label="单位">${part.unit}</td><td data-label="分工">${part.lead ? '牵头' : '配合'}</td><td data-label="报送情况">${part.seq === null ? html`<span class="tag late">未报</span>` : html`<span class="tag ok">已报</span>`}</td><td data-label="报送时间">${part.reportedAt === null ? '—' : shanghaiDateTime(Date.parse(part.reportedAt))}</td><td data-label="报送周期">${part.schedule === 'task' ? '本任务单独设定' : '计划统一'}（${chineseDate(part.dueDate)}截止）</td></tr>`,
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
${overridesSection(model)}
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
