import type { AuditEntry } from '@duban/engine';
import { eventFieldLabels } from '@duban/reform-task';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';

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

function evidenceItem(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const { title, ref } = value as { title?: unknown; ref?: unknown };
  if (typeof title !== 'string') return JSON.stringify(value);
  return typeof ref === 'string' ? `${title}（${ref}）` : title;
}

/** What an audit entry's payload says, field by field with the event's Chinese labels. Pure. */
export function auditPayloadView(entry: AuditEntry): SafeHtml | '' {
  if (entry.type === 'CREATE') return html`<p class="muted">由工作要点导入并交办。</p>`;
  const fields = Object.entries(entry.payload);
  if (fields.length === 0) return '';
  return html`<dl class="payload">${fields.map(([name, value]) => html`<dt>${fieldLabel(entry.type, name)}</dt><dd>${valueView(value)}</dd>`)}</dl>`;
}
