import type { ReformTaskEventType, ReformTaskPayloads } from '@duban/reform-task';

/** How a payload field is entered on a page. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'date'
  /** A whole number 0..100. */
  | 'percent'
  /** A yes/no tick; unticked sends nothing. */
  | 'checkbox'
  /** 批准 / 不批准, one must be chosen. */
  | 'approve'
  /** A list of names, one per line. */
  | 'lines'
  /** Rows of 材料名称 + 材料编号或链接. */
  | 'evidence'
  /** Units chosen from the unit registry (several may be chosen). */
  | 'units';

/** One field of an event's form. */
export interface FormField<K extends string = string> {
  readonly name: K;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** A short help text under the field. */
  readonly hint?: string;
}

/** The events a person sends; the system's own (WARN, DEADLINE_PASSED) have no form. */
export type FormEventType = Exclude<ReformTaskEventType, 'WARN' | 'DEADLINE_PASSED'>;

type EventForms = { readonly [K in FormEventType]: readonly FormField<keyof ReformTaskPayloads[K] & string>[] };

/**
 * The fields of each event's form, in the order people fill them in; every payload field appears
 * once, but `attachments`, which only the API sends for now (files uploaded with POST /api/files).
 */
export const eventForms: EventForms = {
  START: [{ name: 'note', kind: 'textarea', required: false }],
  PROGRESS: [
    { name: 'summary', kind: 'textarea', required: true },
    { name: 'percent', kind: 'percent', required: false, hint: '0 到 100 的整数' },
  ],
  REPORT: [
    { name: 'summary', kind: 'textarea', required: true },
    { name: 'evidence', kind: 'evidence', required: true, hint: '至少填写一项；编号或链接可不填' },
  ],
  VERIFY: [{ name: 'opinion', kind: 'textarea', required: false }],
  REJECT: [{ name: 'reason', kind: 'textarea', required: true }],
  CLOSE: [
    { name: 'note', kind: 'textarea', required: false },
    { name: 'commend', kind: 'checkbox', required: false },
  ],
  URGE: [{ name: 'message', kind: 'textarea', required: true }],
  ESCALATE: [{ name: 'reason', kind: 'textarea', required: true }],
  RECORD_INTERVIEW: [
    { name: 'heldOn', kind: 'date', required: true },
    { name: 'attendees', kind: 'lines', required: true, hint: '每行一人' },
    { name: 'findings', kind: 'textarea', required: true },
    { name: 'rectifyBy', kind: 'date', required: true, hint: '须晚于约谈日期；成为新的完成时限' },
  ],
  REFER: [
    { name: 'reason', kind: 'textarea', required: true },
    { name: 'referredTo', kind: 'text', required: true },
  ],
  REQUEST_EXTENSION: [
    { name: 'until', kind: 'date', required: true, hint: '须晚于当前完成时限' },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  DECIDE_EXTENSION: [
    { name: 'approve', kind: 'approve', required: true },
    { name: 'until', kind: 'date', required: false, hint: '批准时可另定日期；不填则按申请日期' },
    { name: 'note', kind: 'textarea', required: false },
  ],
  REASSIGN: [{ name: 'leadUnits', kind: 'units', required: true, hint: '从单位名录中选择；按住 Ctrl（苹果电脑为 Command）可选多个' }],
  CANCEL: [{ name: 'reason', kind: 'textarea', required: true }],
  COMMENT: [
    { name: 'text', kind: 'textarea', required: true },
    { name: 'ask', kind: 'lines', required: false, hint: '需要答复时，每行写一个本任务的单位' },
  ],
  INSTRUCT: [{ name: 'text', kind: 'textarea', required: true, hint: '至多 2000 字；发出后通知本任务的各单位' }],
};

/** Is this an event with a form? Pure. */
export function hasForm(type: string): type is FormEventType {
  return Object.hasOwn(eventForms, type);
}

/** Events whose button asks for confirmation first: they end the task's normal course. */
export const confirmedEvents: ReadonlySet<string> = new Set(['CANCEL', 'REFER']);

/** How many evidence rows a fresh REPORT form shows. */
export const EVIDENCE_ROWS = 3;
