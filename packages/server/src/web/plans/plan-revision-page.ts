import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { FieldChange, RevisionPreview } from '../../plans/plan-amendments.ts';
import type { ListedPlan } from '../../plans/plan-records.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** A revision's preview as the page shows it, with the file carried to the confirmation. */
export interface PageRevision {
  readonly preview: RevisionPreview;
  readonly fileName: string;
  /** The file's bytes in base64, posted back with the choices (nothing is kept between the two). */
  readonly source: string;
}

export interface PlanRevisionPageOptions {
  readonly viewer: Viewer;
  readonly plan: ListedPlan;
  readonly revision?: PageRevision | undefined;
  /** What was typed (reason) and chosen (apply:<id>), shown again after a refusal. */
  readonly typed?: { readonly reason?: string; readonly apply?: readonly string[] };
  /** What was typed in the form adding a task (add_reason, add_number, add_text, add_lead, add_responsible, add_date), shown again after a refusal. */
  readonly addition?: Readonly<Record<string, string>>;
  /** Messages beside their fields: `file`, `reason`, `apply`, and the addition's `add_…`. */
  readonly errors?: Readonly<Record<string, string>>;
  readonly notices?: readonly Notice[];
}

const KIND_LABELS = { add: '新增', change: '调整', remove: '撤销' } as const;
const FIELD_LABELS: Readonly<Record<FieldChange['field'], string>> = { text: '任务内容', deadline: '完成时限', leadUnits: '牵头单位', responsibleUnits: '责任单位' };

/**
 * 修订计划 (office, admin): the plan's state (执行中 / 已归档) with the button that changes it; a form
 * to upload the revised document; after an upload, the difference from the plan as it stands —
 * each added, changed (field by field, before and after) and removed task with a checkbox — and the
 * reason every entry will carry. Errors sit beside their fields. Pure.
 */
export function planRevisionPage(options: PlanRevisionPageOptions): SafeHtml {
  const { viewer, plan, revision } = options;
  const errors = options.errors ?? {};
  const error = (field: string) => (errors[field] === undefined ? '' : html`<p class="field-error" id="${field}-error" role="alert">${errors[field]}</p>`);
  const invalid = (field: string) => (errors[field] === undefined ? '' : html` aria-invalid="true" aria-describedby="${field}-error"`);
  const base = `/plans/${encodeURIComponent(plan.id)}/revise`;
  return layout({
    title: `修订计划：${plan.title}`,
    viewer,
    current: '/plans/import',
    notices: options.notices ?? [],
    body: html`<section class="card"><h2>${plan.title}（${plan.id}）</h2>
<p id="plan-state">共 ${plan.tasks} 项任务；状态：<strong>${plan.active ? '执行中' : '已归档'}</strong>${plan.active ? '' : '（计划选择器默认不再选中本计划）'}。</p>
<form method="post" action="/plans/${encodeURIComponent(plan.id)}/active">${csrfField(viewer)}
<input type="hidden" name="active" value="${plan.active ? 'false' : 'true'}">
<div class="actions"><button type="submit">${plan.active ? '设为已归档' : '恢复为执行中'}</button> <a href="/plans/import">返回计划列表</a></div>
</form></section>
${revision === undefined ? uploadForm(viewer, base, error, invalid) : differenceForm(viewer, base, revision, options.typed ?? {}, error, invalid)}
${revision === undefined ? additionForm(viewer, plan, options.addition ?? {}, error, invalid) : ''}`,
  });
}

type FieldHtml = (field: string) => SafeHtml | string;

function uploadForm(viewer: Viewer, base: string, error: FieldHtml, invalid: FieldHtml): SafeHtml {
  return html`<section class="card"><h2>上传修订稿</h2>
<p>上传修订后的计划文件（.docx、.xlsx、.md、.txt 或 .json），先比对与现行计划的差异：任务按序号、再按内容对应。确认后，所选的新增、调整和撤销逐项记入审计日志。</p>
<form method="post" action="${base}" enctype="multipart/form-data">${csrfField(viewer)}
<input type="hidden" name="step" value="preview">
<div class="field"><label for="revision-file">修订稿</label><input id="revision-file" name="file" type="file" required accept=".docx,.xlsx,.md,.txt,.json"${invalid('file')}>${error('file')}</div>
<div class="actions"><button type="submit" class="primary">上传并比对</button></div>
</form></section>`;
}

function differenceForm(viewer: Viewer, base: string, revision: PageRevision, typed: NonNullable<PlanRevisionPageOptions['typed']>, error: FieldHtml, invalid: FieldHtml): SafeHtml {
  const { preview } = revision;
  const chosen = typed.apply === undefined ? undefined : new Set(typed.apply);
  const counts = (kind: 'add' | 'change' | 'remove') => preview.changes.filter((change) => change.kind === kind).length;
  return html`<section class="card"><h2>比对结果：${revision.fileName}</h2>
<p id="revision-summary">新增 ${counts('add')} 项，调整 ${counts('change')} 项，撤销 ${counts('remove')} 项，未变 ${preview.unchanged} 项${
    preview.unknownUnits.length === 0 ? '' : html`；<strong>不在单位名录中的单位：${preview.unknownUnits.map((unit) => unit.name).join('、')}</strong>（请先在单位管理中新增或设为别名，否则涉及它们的修订无法应用）`
  }。</p>
${
  preview.changes.length === 0
    ? html`<p>修订稿与现行计划一致，没有需要应用的修订。</p><p><a href="${base}">重新选择文件</a></p>`
    : html`<form method="post" action="${base}" enctype="multipart/form-data">${csrfField(viewer)}
<input type="hidden" name="step" value="apply">
<input type="hidden" name="basis" value="${preview.basis}">
<input type="hidden" name="sourceName" value="${revision.fileName}">
<input type="hidden" name="source" value="${revision.source}">
${error('apply')}
<table id="revision-changes"><thead><tr><th scope="col">应用</th><th scope="col">类别</th><th scope="col">序号</th><th scope="col">任务</th><th scope="col">变化</th></tr></thead><tbody>
${preview.changes.map(
  (change) => html`<tr id="change-${change.id}"><td><input type="checkbox" name="apply:${change.id}" aria-label="应用：${KIND_LABELS[change.kind]}第${change.number}项"${chosen === undefined || chosen.has(change.id) ? ' checked' : ''}></td><td>${KIND_LABELS[change.kind]}</td><td>${change.number}</td><td>${change.taskId === null ? '' : html`<a href="/tasks/${change.taskId}">${change.taskId}</a><br>`}${change.text}</td><td>${
    change.fields.length === 0 ? '—' : html`<dl class="payload">${change.fields.map((field) => html`<dt>${FIELD_LABELS[field.field]}</dt><dd>原：${shown(field.from)}<br>改为：${shown(field.to)}</dd>`)}</dl>`
  }</td></tr>`,
)}
</tbody></table>
<div class="field"><label for="revision-reason">修订依据</label><textarea id="revision-reason" name="reason" required maxlength="1000" placeholder="如：市委深改委第3次会议审议通过的修订稿"${invalid('reason')}>${typed.reason ?? ''}</textarea>${error('reason')}<p class="hint">记入每一项修订的审计记录。</p></div>
<div class="actions"><button type="submit" class="primary">应用所选修订</button> <a href="${base}">重新选择文件</a></div>
</form>`
}
</section>`;
}

function additionForm(viewer: Viewer, plan: ListedPlan, typed: Readonly<Record<string, string>>, error: FieldHtml, invalid: FieldHtml): SafeHtml {
  const field = (name: string, label: string, control: SafeHtml, hint = '') =>
    html`<div class="field"><label for="${name}">${label}</label>${control}${error(name)}${hint === '' ? '' : html`<p class="hint">${hint}</p>`}</div>`;
  return html`<section class="card"><h2>增补任务（领导交办、会议议定事项）</h2>
<form method="post" action="/plans/${encodeURIComponent(plan.id)}/tasks">${csrfField(viewer)}
${field('add_reason', '交办依据', html`<input id="add_reason" name="add_reason" required maxlength="1000" value="${typed['add_reason'] ?? ''}" placeholder="如：市委常委会2024年第5次会议议定"${invalid('add_reason')}>`, '记入该任务的交办记录。')}
${field('add_text', '任务内容', html`<textarea id="add_text" name="add_text" required${invalid('add_text')}>${typed['add_text'] ?? ''}</textarea>`)}
${field('add_lead', '牵头单位', html`<textarea id="add_lead" name="add_lead" required rows="2"${invalid('add_lead')}>${typed['add_lead'] ?? ''}</textarea>`, '每行一个单位，须在单位名录中。')}
${field('add_responsible', '责任单位', html`<textarea id="add_responsible" name="add_responsible" rows="2"${invalid('add_responsible')}>${typed['add_responsible'] ?? ''}</textarea>`, '可不填；每行一个单位。')}
${field('add_date', '完成时限', html`<input id="add_date" name="add_date" type="date" value="${typed['add_date'] ?? ''}"${invalid('add_date')}>`, '不填则无具体日期。')}
${field('add_number', '序号', html`<input id="add_number" name="add_number" inputmode="numeric" value="${typed['add_number'] ?? ''}"${invalid('add_number')}>`, '不填则排在最后一项之后。')}
<div class="actions"><button type="submit" class="primary">增补任务</button></div>
</form></section>`;
}

/** A field's value as a person reads it: units joined with 、, a deadline by its text and date. Pure. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.join('、');
  if (typeof value === 'object' && value !== null) {
    const { text, date } = value as { text?: unknown; date?: unknown };
    const written = typeof text === 'string' && text !== '' ? text : '—';
    return typeof date === 'string' && date !== written ? `${written}（${date}）` : written;
  }
  return typeof value === 'string' && value !== '' ? value : '—';
}
