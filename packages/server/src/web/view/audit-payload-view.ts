import type { AuditEntry } from '@duban/engine';
import { checkAnswersText, eventFieldLabels, failedChecksText } from '@duban/reform-task';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { recordedFiles } from '../../files/task-files.ts';
import type { Supersession } from './attachment-view.ts';
import { attachmentList } from './attachment-view.ts';

function fieldLabel(type: string, name: string): string {
  const labels = Object.hasOwn(eventFieldLabels, type) ? (eventFieldLabels[type as keyof typeof eventFieldLabels] as Readonly<Record<string, string>>) : {};
  return labels[name] ?? name;
}

function valueView(value: unknown): SafeHtml | string {
  if (value === true) return '是';
  if (value === false) return '否';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return value.join('、');
    return html`<ul>${value.map((v) => html`<li>${evidenceItem(v)}</li>`)}</ul>`;
  }
  return JSON.stringify(value);
}

/** Is this an absolute http(s) address a link may point to (never javascript:, data: or the like)? Pure. */
export function isWebAddress(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An evidence item: its title and reference; a reference that is a web address is a link. Pure. */
function evidenceItem(value: unknown): SafeHtml | string {
  if (typeof value !== 'object' || value === null) return String(value);
  const { title, ref } = value as { title?: unknown; ref?: unknown };
  if (typeof title !== 'string') return JSON.stringify(value);
  if (typeof ref !== 'string') return title;
  return isWebAddress(ref) ? html`${title}（<a href="${ref}" rel="noopener noreferrer">${ref}</a>）` : `${title}（${ref}）`;
}

/** A comment's withdrawn files: each by its hash (the file itself is struck through where it was attached), with the reason. Pure. */
function supersedesView(value: unknown): SafeHtml | string {
  if (!Array.isArray(value)) return valueView(value);
  return html`<ul>${(value as { sha256?: unknown; reason?: unknown }[]).map((item) => html`<li>SHA-256 <code class="hash">${String(item.sha256).slice(0, 12)}…</code>：${String(item.reason)}</li>`)}</ul>`;
}

/**
 * What an audit entry's payload says, field by field with the event's Chinese labels; its files as
 * links with previews (`superseded`: the task's files later withdrawn, struck through). Pure.
 */
export function auditPayloadView(entry: AuditEntry, superseded: ReadonlyMap<string, Supersession> = new Map()): SafeHtml | '' {
  if (entry.type === 'CREATE') {
    const addition = ((entry.payload as { input?: { addition?: { reason?: unknown } } }).input?.addition?.reason);
    return typeof addition === 'string' ? html`<p>计划导入后增补交办。依据：${addition}</p>` : html`<p class="muted">由工作要点导入并交办。</p>`;
  }
  if (entry.type === 'AMEND') return amendmentView(entry.payload);
  const fields = Object.entries(entry.payload);
  if (fields.length === 0) return '';
  const view = (name: string, value: unknown) => {
    if (name === 'attachments') return attachmentList(entry.instanceId, recordedFiles(entry), superseded);
    if (name === 'supersedes') return supersedesView(value);
    // VERIFY's four judgements (四个是否) and the ones a REJECT named, by their Chinese labels.
    if (name === 'checks' && typeof value === 'object' && value !== null) return checkAnswersText(value as Record<string, unknown>);
    if (name === 'failed' && Array.isArray(value)) return failedChecksText(value);
    return valueView(value);
  };
  return html`<dl class="payload">${fields.map(([name, value]) => html`<dt>${fieldLabel(entry.type, name)}</dt><dd>${view(name, value)}</dd>`)}</dl>`;
}

/** An amendment (调整任务): its reason, then each field as it now reads (the members of collectives the server filled in are left out). Pure. */
function amendmentView(payload: Readonly<Record<string, unknown>>): SafeHtml {
  const fields = Object.entries(payload).filter(([name]) => name !== 'collectives' && name !== 'reason');
  const deadline = (value: unknown) => {
    const { text, date, ongoing } = (value ?? {}) as { text?: unknown; date?: unknown; ongoing?: unknown };
    const written = typeof text === 'string' && text !== '' ? text : typeof date === 'string' ? date : '—';
    return `${written}${typeof date === 'string' && written !== date ? `（${date}）` : ''}${ongoing === true ? '，长期坚持' : ''}`;
  };
  return html`<dl class="payload"><dt>${fieldLabel('AMEND', 'reason')}</dt><dd>${valueView(payload['reason'])}</dd>${fields.map(
    ([name, value]) => html`<dt>${fieldLabel('AMEND', name)}</dt><dd>改为：${name === 'deadline' ? deadline(value) : valueView(value)}</dd>`,
  )}</dl>`;
}
