import { verificationChecks } from '@duban/reform-task';
import type { FormEventType, FormField } from './event-forms.ts';
import { eventForms } from './event-forms.ts';

/** What the person typed, by input name, to show again when the form comes back with errors. */
export type FormValues = Readonly<Record<string, string>>;

/** A form turned into an event payload. */
export interface FormPayload {
  readonly payload: Record<string, unknown>;
  readonly values: FormValues;
  /** For each evidence item sent, the form row it came from (empty rows are skipped). */
  readonly evidenceRows: readonly number[];
}

const EVIDENCE_INPUT = /^evidence\.(\d{1,2})\.(title|ref)$/;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  // A name sent twice: keep the last, as a browser's single field would.
  if (Array.isArray(value)) return text(value[value.length - 1]);
  return '';
}

/** Splits a list typed one item per line (also 、 or ，-separated), dropping empty items. Pure. */
export function splitLines(value: string): string[] {
  return value
    .split(/[\r\n、，,；;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function fieldValue(field: FormField, raw: string): unknown {
  const trimmed = raw.trim();
  switch (field.kind) {
    case 'text':
    case 'textarea':
    case 'date':
      // A required field left empty is sent empty, so the workflow's schema names it.
      return trimmed === '' && !field.required ? undefined : trimmed;
    case 'percent':
      if (trimmed === '') return undefined;
      return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
    case 'checkbox':
      return raw === 'true' ? true : undefined;
    case 'approve':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'lines': {
      // An optional list left empty is no list (COMMENT's ask), not an empty one its schema refuses.
      const items = splitLines(raw);
      return items.length === 0 && !field.required ? undefined : items;
    }
    case 'units':
      throw new Error('fieldValue: units are read from every chosen option');
    case 'evidence':
      throw new Error('fieldValue: evidence is read from its rows');
    case 'files':
      throw new Error('fieldValue: files are received with the multipart body');
    case 'supersede':
      throw new Error('fieldValue: a supersession is read from its file and reason');
    case 'judgements':
    case 'judgementList':
      throw new Error('fieldValue: judgements are read from their own inputs');
  }
}

/**
 * Reads an event's form into its payload: only the form's own fields, optional ones left empty
 * omitted, numbers and yes/no turned into JSON values; whether the payload is valid is the
 * workflow's to say. Pure.
 */
export function payloadFromForm(type: FormEventType, form: Readonly<Record<string, unknown>>): FormPayload {
  const payload: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  let evidenceRows: number[] = [];
  for (const field of eventForms[type] as readonly FormField[]) {
    if (field.kind === 'evidence') {
      const rows = new Map<number, { title: string; ref: string }>();
      for (const [name, value] of Object.entries(form)) {
        const match = EVIDENCE_INPUT.exec(name);
        if (match === null) continue;
        const row = Number(match[1]);
        const item = rows.get(row) ?? { title: '', ref: '' };
        item[match[2] as 'title' | 'ref'] = text(value);
        rows.set(row, item);
        values[name] = text(value);
      }
      const filled = [...rows].filter(([, item]) => item.title.trim() !== '' || item.ref.trim() !== '').sort(([a], [b]) => a - b);
      evidenceRows = filled.map(([row]) => row);
      payload[field.name] = filled.map(([, item]) => (item.ref.trim() === '' ? { title: item.title.trim() } : { title: item.title.trim(), ref: item.ref.trim() }));
      continue;
    }
    // Files arrive as uploads, not as text: the route names them in the payload.
    if (field.kind === 'files') continue;
    if (field.kind === 'supersede') {
      const [sha256, reason] = [text(form[`${field.name}.sha256`]).trim(), text(form[`${field.name}.reason`])];
      values[`${field.name}.sha256`] = sha256;
      values[`${field.name}.reason`] = reason;
      // A file chosen without a reason is sent so, for the schema to ask for the reason.
      if (sha256 !== '') payload[field.name] = [{ sha256, reason: reason.trim() }];
      continue;
    }
    if (field.kind === 'judgements') {
      // Each judgement its own 是/否 pair; one left unanswered is left out, for the schema to name it.
      const answers: Record<string, boolean> = {};
      for (const check of verificationChecks) {
        const raw = text(form[`${field.name}.${check}`]);
        values[`${field.name}.${check}`] = raw;
        if (raw === 'true' || raw === 'false') answers[check] = raw === 'true';
      }
      if (field.required || Object.keys(answers).length > 0) payload[field.name] = answers;
      continue;
    }
    if (field.kind === 'judgementList') {
      const ticked = ([] as unknown[]).concat(form[field.name] ?? []).filter((v): v is string => typeof v === 'string');
      values[field.name] = ticked.join('\n');
      if (field.required || ticked.length > 0) payload[field.name] = ticked;
      continue;
    }
    if (field.kind === 'units') {
      // Each chosen option is one unit; a list typed into one value (an older page) is split as lines are.
      const chosen = ([] as unknown[]).concat(form[field.name] ?? []).flatMap((v) => (typeof v === 'string' ? splitLines(v) : []));
      values[field.name] = chosen.join('\n');
      payload[field.name] = chosen;
      continue;
    }
    const raw = text(form[field.name]);
    values[field.name] = raw;
    const value = fieldValue(field, raw);
    if (value !== undefined) payload[field.name] = value;
  }
  return { payload, values, evidenceRows };
}
