import type { Plan, PlanWarning, UnknownUnit } from '@duban/plan';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { ListedPlan } from '../../plans/plan-records.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** The value of a unit's select that adds the unknown name as a new unit. */
export const ADD_UNIT = '__add__';

/** A preview as the page shows it: what the reader found, and the file carried to the confirmation. */
export interface PagePreview {
  readonly plan: Plan;
  readonly unknownUnits: readonly UnknownUnit[];
  readonly pastDeadlines: number;
  readonly fileName: string;
  /** The file's bytes in base64, posted back with the confirmation (nothing is kept between the two). */
  readonly source: string;
}

export interface PlanImportPageOptions {
  readonly viewer: Viewer;
  readonly plans: readonly ListedPlan[];
  /** Names of registry units a name may be mapped to. */
  readonly registry: readonly string[];
  readonly preview?: PagePreview | undefined;
  /** What was typed (planId, title, year, map_N), shown again after a refusal. */
  readonly typed?: Readonly<Record<string, string>>;
  /** Messages beside their fields: `file`, `planId`, `title`, `year`, `map_N`. */
  readonly errors?: Readonly<Record<string, string>>;
  readonly notices?: readonly Notice[];
}

/**
 * 导入计划 (office, admin): the plans already imported; a form to upload a plan file (.docx, .xlsx,
 * .md, .txt, .json); after an upload, its preview — every task with the warnings that name it, the
 * other warnings with their places, each unknown unit with a choice of a registry unit or 新增为单位 —
 * and the plan's id, title and year to confirm. Errors sit beside their fields. Pure.
 */
export function planImportPage(options: PlanImportPageOptions): SafeHtml {
  const { viewer, preview } = options;
  const typed = options.typed ?? {};
  const errors = options.errors ?? {};
  const error = (field: string) => (errors[field] === undefined ? '' : html`<p class="field-error" id="${field}-error" role="alert">${errors[field]}</p>`);
  const invalid = (field: string) => (errors[field] === undefined ? '' : html` aria-invalid="true" aria-describedby="${field}-error"`);
  return layout({
    title: '导入计划',
    viewer,
    current: '/plans/import',
    notices: options.notices ?? [],
    body: html`${preview === undefined ? uploadForm(viewer, error, invalid) : previewForm(viewer, preview, options.registry, typed, error, invalid)}
<section class="card"><h2>已导入的计划</h2>
${options.plans.length === 0 ? html`<p>尚未导入计划。</p>` : html`<table id="plans"><thead><tr><th scope="col">计划编号</th><th scope="col">名称</th><th scope="col">年度</th><th scope="col">任务数</th><th scope="col">导入时间</th><th scope="col">状态</th><th scope="col">修订</th></tr></thead><tbody>
${options.plans.map((plan) => html`<tr><td>${plan.id}</td><td>${plan.title}</td><td>${plan.year ?? '—'}</td><td>${plan.tasks}</td><td>${plan.importedAt === '' ? '—' : plan.importedAt.slice(0, 10)}</td><td>${plan.active ? '执行中' : '已归档'}</td><td><a href="/plans/${encodeURIComponent(plan.id)}/revise">修订与归档</a></td></tr>`)}
</tbody></table>`}
</section>`,
  });
}

type FieldHtml = (field: string) => SafeHtml | string;

function uploadForm(viewer: Viewer, error: FieldHtml, invalid: FieldHtml): SafeHtml {
  return html`<section class="card"><h2>上传计划文件</h2>
<p>支持 Word（.docx）、Excel（.xlsx）、文本（.md、.txt，UTF-8 或 GBK）和计划 JSON（.json），不超过 20 MB。先预览，确认无误后再导入。</p>
<form method="post" action="/plans/import" enctype="multipart/form-data">${csrfField(viewer)}
<input type="hidden" name="step" value="preview">
<div class="field"><label for="plan-file">计划文件</label><input id="plan-file" name="file" type="file" required accept=".docx,.xlsx,.md,.txt,.json"${invalid('file')}>${error('file')}</div>
<div class="actions"><button type="submit" class="primary">上传并预览</button></div>
</form></section>`;
}

function previewForm(viewer: Viewer, preview: PagePreview, registry: readonly string[], typed: Readonly<Record<string, string>>, error: FieldHtml, invalid: FieldHtml): SafeHtml {
  const { plan } = preview;
  const byTask = new Map<number, PlanWarning[]>();
  const general: PlanWarning[] = [];
  for (const warning of plan.warnings) {
    const number = /第(\d+)项/.exec(warning.message)?.[1];
    const task = number === undefined ? undefined : plan.tasks.find((t) => t.number === Number(number));
    if (task === undefined) general.push(warning);
    else byTask.set(task.number, [...(byTask.get(task.number) ?? []), warning]);
  }
  const unknownNames = new Set(preview.unknownUnits.map((u) => u.name));
  const unitWarnings = (names: readonly string[]) => names.filter((name) => unknownNames.has(name)).map((name) => html`<li>单位“${name}”不在单位名录中</li>`);
  return html`<section class="card"><h2>预览：${preview.fileName}</h2>
<p id="plan-summary">共 ${plan.tasks.length} 项任务；警告 ${plan.warnings.length} 条；不在单位名录中的单位 ${preview.unknownUnits.length} 个${
    preview.pastDeadlines > 0 ? html`；<strong>已有 ${preview.pastDeadlines} 项任务的完成时限已过</strong>，导入后按导入时逾期处理，不自动约谈，导入前的逾期不扣分` : ''
  }。</p>
${general.length === 0 ? '' : html`<h3>其他警告</h3><ul id="plan-warnings">${general.map((w) => html`<li>${w.where ?? `第${w.line}行`}：${w.message}</li>`)}</ul>`}
<form method="post" action="/plans/import" enctype="multipart/form-data">${csrfField(viewer)}
<input type="hidden" name="step" value="import">
<input type="hidden" name="sourceName" value="${preview.fileName}">
<input type="hidden" name="source" value="${preview.source}">
${
  preview.unknownUnits.length === 0
    ? ''
    : html`<fieldset id="unknown-units"><legend>不在单位名录中的单位：请对应到已有单位，或新增为单位</legend>
${preview.unknownUnits.map(
  (unit, index) => html`<div class="field"><input type="hidden" name="unknown_${index}" value="${unit.name}">
<label for="map-${index}">${unit.name}${unit.lines.length === 0 ? '' : html`（第${unit.lines.join('、')}行）`}</label>
<select id="map-${index}" name="map_${index}"${invalid(`map_${index}`)}><option value="">请选择</option><option value="${ADD_UNIT}"${typed[`map_${index}`] === ADD_UNIT ? ' selected' : ''}>新增为单位</option>${registry.map(
    (name) => html`<option value="${name}"${typed[`map_${index}`] === name ? ' selected' : ''}>${name}</option>`,
  )}</select>${error(`map_${index}`)}</div>`,
)}</fieldset>`
}
<div class="field"><label for="plan-id">计划编号</label><input id="plan-id" name="planId" required value="${typed['planId'] ?? ''}" placeholder="如 karamay-2024"${invalid('planId')}>${error('planId')}<p class="hint">英文字母、数字或“.”“_”“-”，是每项任务编号的前缀。</p></div>
<div class="field"><label for="plan-title">计划名称</label><input id="plan-title" name="title" value="${typed['title'] ?? plan.title}"${invalid('title')}>${error('title')}</div>
<div class="field"><label for="plan-year">年度</label><input id="plan-year" name="year" inputmode="numeric" value="${typed['year'] ?? (plan.year === null ? '' : String(plan.year))}"${invalid('year')}>${error('year')}</div>
${error('units')}
<div class="actions"><button type="submit" class="primary">确认导入</button> <a href="/plans/import">重新选择文件</a></div>
</form>
<table id="plan-tasks"><thead><tr><th scope="col">序号</th><th scope="col">任务</th><th scope="col">牵头单位</th><th scope="col">责任单位</th><th scope="col">完成时限</th><th scope="col">警告</th></tr></thead><tbody>
${plan.tasks.map((task) => {
  const warnings = [...(byTask.get(task.number) ?? []).map((w) => html`<li>${w.message}</li>`), ...unitWarnings([...task.leadUnits, ...task.responsibleUnits])];
  return html`<tr id="task-${task.number}"><td>${task.number}</td><td>${task.text}</td><td>${task.leadUnits.join('、') || '—'}</td><td>${task.responsibleUnits.join('、') || '—'}</td><td>${task.deadline.text || '—'}</td><td>${warnings.length === 0 ? '' : html`<ul class="warnings">${warnings}</ul>`}</td></tr>`;
})}
</tbody></table>
</section>`;
}
