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
  | 'units'
  /** Evidence files (佐证材料) uploaded with the form: the form is then sent as multipart. */
  | 'files'
  /** One of the task's files chosen to withdraw, with the reason (COMMENT's supersedes). */
  | 'supersede'
  /** The four judgements (四个是否), each 是 / 否 (VERIFY's checks). */
  | 'judgements'
  /** Some of the four judgements ticked (REJECT's failed). */
  | 'judgementList';

/** One field of an event's form. */
export interface FormField<K extends string = string> {
  readonly name: K;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** A short help text under the field. */
  readonly hint?: string;
}

/** Events a person sends elsewhere than on the task's page: AMEND (调整任务) through the API and the plan's page (修订计划). */
export const eventsWithoutForm: ReadonlySet<ReformTaskEventType> = new Set(['AMEND']);

/** The events a person sends on the task's page; the system's own (WARN, DEADLINE_PASSED) have no form, nor `eventsWithoutForm`. */
export type FormEventType = Exclude<ReformTaskEventType, 'WARN' | 'DEADLINE_PASSED' | 'AMEND'>;

const FILES_HINT = '可选多个文件：PDF、图片、Word、Excel、PowerPoint 或 ZIP，单个不超过 50 MB';

type EventForms = { readonly [K in FormEventType]: readonly FormField<keyof ReformTaskPayloads[K] & string>[] };

/**
 * The fields of each event's form, in the order people fill them in; every payload field appears
 * once (`attachments` as a file input: the form is then sent as multipart/form-data).
 */
export const eventForms: EventForms = {
  START: [{ name: 'note', kind: 'textarea', required: false }],
  PROGRESS: [
    { name: 'summary', kind: 'textarea', required: true },
    { name: 'percent', kind: 'percent', required: false, hint: '0 到 100 的整数' },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  REPORT: [
    { name: 'summary', kind: 'textarea', required: true },
    { name: 'evidence', kind: 'evidence', required: true, hint: '至少填写一项；编号或链接可不填' },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  VERIFY: [
    { name: 'checks', kind: 'judgements', required: true, hint: '逐项作出判断' },
    { name: 'opinion', kind: 'textarea', required: false },
  ],
  REJECT: [
    { name: 'failed', kind: 'judgementList', required: true, hint: '勾选未达到要求的判断（至少一项）' },
    { name: 'reason', kind: 'textarea', required: true },
  ],
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
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  REFER: [
    { name: 'reason', kind: 'textarea', required: true },
    { name: 'referredTo', kind: 'text', required: true },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  REQUEST_EXTENSION: [
    { name: 'until', kind: 'date', required: true, hint: '须晚于当前完成时限' },
    { name: 'reason', kind: 'textarea', required: true },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
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
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
    { name: 'supersedes', kind: 'supersede', required: false, hint: '上传有误的文件不会删除：选择后在记录中标为已作废，并写明理由；可在附件中上传更正后的文件' },
  ],
  INSTRUCT: [{ name: 'text', kind: 'textarea', required: true, hint: '至多 2000 字；发出后通知本任务的各单位' }],
  ACKNOWLEDGE_PART: [],
  PART_PROGRESS: [
    { name: 'summary', kind: 'textarea', required: true, hint: '只写本单位承担部分的进展' },
    { name: 'percent', kind: 'percent', required: false, hint: '本单位部分的完成进度，0 到 100 的整数' },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  PART_DONE: [
    { name: 'summary', kind: 'textarea', required: true, hint: '本单位承担部分的完成情况；牵头单位据此汇总办结报告' },
    { name: 'attachments', kind: 'files', required: false, hint: FILES_HINT },
  ],
  RETURN_PART: [
    { name: 'unit', kind: 'text', required: true, hint: '填写已报告完成的单位名称（见“各单位承担部分”）；该单位的部分回到推进中' },
    { name: 'reason', kind: 'textarea', required: true },
  ],
};

/** Is this an event with a form? Pure. */
export function hasForm(type: string): type is FormEventType {
  return Object.hasOwn(eventForms, type);
}

/** Events whose button asks for confirmation first: they end the task's normal course. */
export const confirmedEvents: ReadonlySet<string> = new Set(['CANCEL', 'REFER']);

/** How many evidence rows a fresh REPORT form shows. */
export const EVIDENCE_ROWS = 3;

/** Does this event's form carry files (and so post as multipart/form-data)? Pure. */
export function takesFiles(type: FormEventType): boolean {
  return (eventForms[type] as readonly FormField[]).some((field) => field.kind === 'files');
}
