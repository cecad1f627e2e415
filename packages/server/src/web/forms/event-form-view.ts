import { eventFieldLabels, evidenceFieldLabels, verificationCheckLabels, verificationChecks } from '@duban/reform-task';
import { CSRF_FIELD } from '../session/csrf.ts';
import type { FormEventType, FormField } from './event-forms.ts';
import { confirmedEvents, EVIDENCE_ROWS, eventForms, takesFiles } from './event-forms.ts';
import type { FormErrors } from './field-errors.ts';
import type { FormValues } from './form-payload.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { eventLabel } from '../view/labels.ts';

/** What a file input offers to choose: the kinds the server keeps (it judges by the bytes all the same). */
const FILE_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.heic,.docx,.xlsx,.pptx,.zip,application/pdf,image/*';

/** The hidden field that carries the task version the form was made for. */
export const VERSION_FIELD = '_version';

/** The hidden field that carries the form's idempotency key: a form sent twice is one event. */
export const KEY_FIELD = '_key';

/** A form as it comes back after the server refused it: what was typed and what was wrong. */
export interface EventFormState {
  readonly values?: FormValues;
  readonly errors?: FormErrors;
}

/** What a form offers to choose from: the unit registry's canonical names (REASSIGN), the lead units now chosen, the task's files the viewer may withdraw. */
export interface FormChoices {
  readonly units?: readonly string[];
  readonly chosenUnits?: readonly string[];
  readonly files?: readonly { readonly sha256: string; readonly name: string; readonly label: string }[];
}

/** The address a form of this event on this task posts to. Pure. */
export function eventFormAction(taskId: string, type: string): string {
  return `/tasks/${encodeURIComponent(taskId)}/events/${encodeURIComponent(type)}`;
}

function fieldLabel(type: FormEventType, name: string): string {
  return (eventFieldLabels[type] as Readonly<Record<string, string>>)[name] ?? name;
}

function errorList(id: string, messages: readonly string[] | undefined): SafeHtml | '' {
  if (messages === undefined || messages.length === 0) return '';
  return html`<p class="field-error" id="${id}">${messages.join('；')}</p>`;
}

function describedBy(...ids: (string | false)[]): SafeHtml | '' {
  const list = ids.filter((id): id is string => id !== false);
  return list.length === 0 ? '' : html` aria-describedby="${list.join(' ')}"`;
}

function fieldView(type: FormEventType, field: FormField, state: EventFormState, choices: FormChoices): SafeHtml {
  const id = `f-${type}-${field.name}`;
  const label = fieldLabel(type, field.name);
  const value = state.values?.[field.name] ?? '';
  const errors = state.errors?.byInput[field.name];
  const invalid = errors !== undefined && errors.length > 0;
  const hintId = field.hint === undefined ? false : `${id}-hint`;
  const errorId = invalid ? `${id}-error` : false;
  const hint = field.hint === undefined ? '' : html`<p class="hint" id="${id}-hint">${field.hint}</p>`;
  const mark = field.required ? html`<span class="required">（必填）</span>` : html`<span class="optional">（选填）</span>`;
  const attrs = html`${field.required ? html` required` : ''}${invalid ? html` aria-invalid="true"` : ''}${describedBy(hintId, errorId)}`;
  const wrap = (control: SafeHtml) => html`<div class="field${invalid ? ' has-error' : ''}">${control}${errorList(`${id}-error`, errors)}</div>`;

  switch (field.kind) {
    case 'text':
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<input type="text" id="${id}" name="${field.name}" value="${value}"${attrs}>`);
    case 'textarea':
    case 'lines':
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<textarea id="${id}" name="${field.name}" rows="${field.kind === 'lines' ? 3 : 4}"${attrs}>${value}</textarea>`);
    case 'date':
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<input type="date" id="${id}" name="${field.name}" value="${value}"${attrs}>`);
    case 'percent':
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<input type="number" id="${id}" name="${field.name}" min="0" max="100" step="1" inputmode="numeric" value="${value}"${attrs}>`);
    case 'checkbox':
      return wrap(html`<div class="check"><input type="checkbox" id="${id}" name="${field.name}" value="true"${value === 'true' ? html` checked` : ''}${attrs}><label for="${id}">${label}</label></div>${hint}`);
    case 'approve':
      return wrap(html`<fieldset class="choice"${describedBy(hintId, errorId)}><legend>${label}${mark}</legend>${hint}${[
        ['true', '批准'],
        ['false', '不批准'],
      ].map(
        ([v, text]) => html`<span class="check"><input type="radio" id="${id}-${v}" name="${field.name}" value="${v}"${value === v ? html` checked` : ''}${field.required ? html` required` : ''}><label for="${id}-${v}">${text}</label></span>`,
      )}</fieldset>`);
    case 'units': {
      const chosen = new Set(state.values?.[field.name] === undefined ? (choices.chosenUnits ?? []) : state.values[field.name]!.split('\n'));
      const names = [...new Set([...(choices.units ?? []), ...chosen])];
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<select id="${id}" name="${field.name}" multiple size="${Math.min(8, Math.max(3, names.length))}"${attrs}>${names.map(
        (name) => html`<option value="${name}"${chosen.has(name) ? html` selected` : ''}>${name}</option>`,
      )}</select>`);
    }
    case 'files':
      // Never filled in again after a refusal: a browser does not let a page choose files.
      return wrap(html`<label for="${id}">${label}${mark}</label>${hint}<input type="file" id="${id}" name="${field.name}" multiple accept="${FILE_ACCEPT}"${invalid ? html` aria-invalid="true"` : ''}${describedBy(hintId, errorId)}>`);
    case 'supersede': {
      const files = choices.files ?? [];
      if (files.length === 0) return html`<p class="muted">${label}：本任务暂无您可以更正作废的材料。</p>`;
      const chosen = state.values?.[`${field.name}.sha256`] ?? '';
      return html`<fieldset class="field${invalid ? ' has-error' : ''}"${describedBy(hintId, errorId)}><legend>${label}${mark}</legend>${hint}<div class="field"><label for="${id}-sha256">作废的文件</label><select id="${id}-sha256" name="${field.name}.sha256"><option value="">（不作废）</option>${files.map(
        (file) => html`<option value="${file.sha256}"${chosen === file.sha256 ? html` selected` : ''}>${file.label}</option>`,
      )}</select></div><div class="field"><label for="${id}-reason">作废理由</label><input type="text" id="${id}-reason" name="${field.name}.reason" value="${state.values?.[`${field.name}.reason`] ?? ''}"></div>${errorList(`${id}-error`, errors)}</fieldset>`;
    }
    case 'judgements':
      return html`<fieldset class="field judgements${invalid ? ' has-error' : ''}"${describedBy(hintId, errorId)}><legend>${label}${mark}</legend>${hint}${verificationChecks.map((check) => {
        const name = `${field.name}.${check}`;
        const chosen = state.values?.[name] ?? '';
        const bad = state.errors?.byInput[name];
        return html`<fieldset class="choice${bad === undefined ? '' : ' has-error'}"><legend>${verificationCheckLabels[check]}</legend>${[
          ['true', '是'],
          ['false', '否'],
        ].map(
          ([v, text]) => html`<span class="check"><input type="radio" id="${id}-${check}-${v}" name="${name}" value="${v}"${chosen === v ? html` checked` : ''}${field.required ? html` required` : ''}><label for="${id}-${check}-${v}">${text}</label></span>`,
        )}${errorList(`${id}-${check}-error`, bad)}</fieldset>`;
      })}${errorList(`${id}-error`, errors)}</fieldset>`;
    case 'judgementList': {
      const ticked = new Set((state.values?.[field.name] ?? '').split('\n'));
      return wrap(html`<fieldset class="choice"${describedBy(hintId, errorId)}><legend>${label}${mark}</legend>${hint}${verificationChecks.map(
        (check) => html`<span class="check"><input type="checkbox" id="${id}-${check}" name="${field.name}" value="${check}"${ticked.has(check) ? html` checked` : ''}><label for="${id}-${check}">${verificationCheckLabels[check]}：否</label></span>`,
      )}</fieldset>`);
    }
    case 'evidence':
      return evidenceView(type, field, state, { legend: html`${label}${mark}`, hint, described: describedBy(hintId, errorId), invalid });
  }
}

/** The evidence rows of REPORT: a numbered title and reference per row, at least three, more after an error or by script. */
function evidenceView(type: FormEventType, field: FormField, state: EventFormState, frame: { legend: SafeHtml; hint: SafeHtml | ''; described: SafeHtml | ''; invalid: boolean }): SafeHtml {
  const { legend, hint, described, invalid } = frame;
  const id = `f-${type}-${field.name}`;
  const indices = Object.keys(state.values ?? {}).flatMap((name) => {
    const match = /^evidence\.(\d+)\./.exec(name);
    return match === null ? [] : [Number(match[1])];
  });
  const rows = Math.max(EVIDENCE_ROWS, ...indices.map((i) => i + 1));
  const rowView = (row: number) => {
    const input = (part: 'title' | 'ref') => {
      const name = `evidence.${row}.${part}`;
      const inputId = `${id}-${row}-${part}`;
      const errors = state.errors?.byInput[name];
      const bad = errors !== undefined && errors.length > 0;
      return html`<div class="field${bad ? ' has-error' : ''}"><label for="${inputId}">第${row + 1}项 ${evidenceFieldLabels[part]}</label><input type="text" id="${inputId}" name="${name}" value="${state.values?.[name] ?? ''}"${row === 0 && part === 'title' && field.required ? html` required` : ''}${bad ? html` aria-invalid="true" aria-describedby="${inputId}-error"` : ''}>${errorList(`${inputId}-error`, errors)}</div>`;
    };
    return html`<div class="evidence-row">${input('title')}${input('ref')}</div>`;
  };
  return html`<fieldset class="field evidence${invalid ? ' has-error' : ''}"${described}><legend>${legend}</legend>${hint}<div class="evidence-rows" data-evidence-rows>${Array.from({ length: rows }, (_, row) => rowView(row))}</div><button type="button" class="secondary add-row" data-add-evidence hidden>再加一项材料</button>${errorList(`${id}-error`, state.errors?.byInput[field.name])}</fieldset>`;
}

/**
 * One event's form on a task page, in a disclosure that is open when the form came back with errors:
 * every payload field with its Chinese label, the anti-forgery token, the task version it was made
 * for and its idempotency key (`key`, fresh for each page, with the event type). Pure.
 */
export function eventFormView(taskId: string, version: number, type: FormEventType, csrf: string, key: string, state: EventFormState = {}, choices: FormChoices = {}): SafeHtml {
  const open = state.errors !== undefined;
  const confirm = confirmedEvents.has(type) ? html` data-confirm="确定要${eventLabel(type)}吗？此操作不可撤回。"` : '';
  const general = state.errors?.general ?? [];
  return html`<details class="event-form" id="form-${type}"${open ? html` open` : ''}>
<summary>${eventLabel(type)}</summary>
<form method="post" action="${eventFormAction(taskId, type)}"${takesFiles(type) ? html` enctype="multipart/form-data"` : ''}${confirm}>
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><input type="hidden" name="${VERSION_FIELD}" value="${version}"><input type="hidden" name="${KEY_FIELD}" value="${key}-${type}">
${general.length === 0 ? '' : html`<div class="notice notice-error" role="alert"><p>${general.join('；')}</p></div>`}
${(eventForms[type] as readonly FormField[]).map((field) => fieldView(type, field, state, choices))}
<div class="actions"><button type="submit" class="${confirmedEvents.has(type) || type === 'REJECT' ? 'danger' : 'primary'}">提交${eventLabel(type)}</button></div>
</form>
</details>`;
}
