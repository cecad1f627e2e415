import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import type { ReformTaskState } from './reform-task-states.ts';
import type { Light } from './reform-task-policy.ts';
import type { PartState } from './task-parts.ts';
import type { VerificationCheck } from './verification-checks.ts';

/** Chinese label of each state, as users read it. */
export const stateLabels: Readonly<Record<ReformTaskState, string>> = {
  assigned: '已交办',
  in_progress: '推进中',
  reported: '待核验',
  verified: '已核验',
  closed: '已销号',
  interview: '约谈中',
  accountability: '已移交问责',
  cancelled: '已撤销',
};

/** Chinese label of each event, as users read it on buttons and in the history. */
export const eventLabels: Readonly<Record<ReformTaskEventType, string>> = {
  START: '签收启动',
  PROGRESS: '进展报送',
  REPORT: '报送办结',
  VERIFY: '核验通过',
  REJECT: '退回',
  CLOSE: '销号',
  URGE: '督办',
  ESCALATE: '启动约谈',
  RECORD_INTERVIEW: '约谈记录',
  REFER: '移交问责',
  REQUEST_EXTENSION: '申请延期',
  DECIDE_EXTENSION: '延期审批',
  REASSIGN: '调整牵头单位',
  CANCEL: '撤销',
  AMEND: '调整任务',
  COMMENT: '工作联系',
  INSTRUCT: '领导批示',
  ACKNOWLEDGE_PART: '签收本单位部分',
  PART_PROGRESS: '本单位部分进展',
  PART_DONE: '本单位部分完成',
  RETURN_PART: '退回单位部分',
  WARN: '预警',
  DEADLINE_PASSED: '逾期',
};

type FieldLabels = { readonly [K in ReformTaskEventType]: Readonly<Record<keyof ReformTaskPayloads[K], string>> };

/** Chinese label of each payload field of each event, for forms and error messages. */
export const eventFieldLabels: FieldLabels = {
  START: { note: '备注' },
  PROGRESS: { summary: '进展情况', percent: '完成进度（%）', attachments: '附件' },
  REPORT: { summary: '办结情况', evidence: '佐证材料', attachments: '佐证材料文件' },
  VERIFY: { opinion: '核验意见', checks: '四个是否' },
  REJECT: { reason: '退回理由', failed: '未达到的判断' },
  CLOSE: { note: '销号说明', commend: '予以表扬' },
  URGE: { message: '督办意见' },
  ESCALATE: { reason: '约谈事由' },
  RECORD_INTERVIEW: { heldOn: '约谈日期', attendees: '参加人员', findings: '约谈情况', rectifyBy: '整改期限', attachments: '附件' },
  REFER: { reason: '移交事由', referredTo: '移交机关', attachments: '附件' },
  REQUEST_EXTENSION: { until: '申请延期至', reason: '延期理由', attachments: '附件' },
  DECIDE_EXTENSION: { approve: '是否批准', until: '批准延期至', note: '审批意见' },
  REASSIGN: { leadUnits: '牵头单位' },
  CANCEL: { reason: '撤销理由' },
  AMEND: { reason: '调整依据', text: '任务内容', deadline: '完成时限', leadUnits: '牵头单位', responsibleUnits: '责任单位', collectives: '统称单位的成员' },
  COMMENT: { text: '内容', ask: '请以下单位答复', attachments: '附件', supersedes: '更正作废的材料' },
  INSTRUCT: { text: '批示内容' },
  ACKNOWLEDGE_PART: {},
  PART_PROGRESS: { summary: '本单位进展情况', percent: '本单位完成进度（%）', attachments: '附件' },
  PART_DONE: { summary: '本单位完成情况', attachments: '佐证材料文件' },
  RETURN_PART: { unit: '退回哪个单位的部分', reason: '退回理由' },
  WARN: {},
  DEADLINE_PASSED: {},
};

/** Chinese label of each item of one evidence entry of REPORT. */
export const evidenceFieldLabels: Readonly<Record<'title' | 'ref', string>> = { title: '材料名称', ref: '材料编号或链接' };

/** Chinese label of each of the four judgements (四个是否) of a verification. */
export const verificationCheckLabels: Readonly<Record<VerificationCheck, string>> = {
  policyUnderstood: '政策理解是否到位',
  requirementsMet: '任务要求是否落实',
  difficultiesResolved: '难点问题是否解决',
  effectSignificant: '改革成效是否显著',
};

/** Chinese label of each state of a unit's part of a task. */
export const partStateLabels: Readonly<Record<PartState, string>> = {
  assigned: '待签收',
  acknowledged: '已签收',
  reporting: '推进中',
  done: '已完成',
};

/** Chinese label of each light (红黄绿灯). */
export const lightLabels: Readonly<Record<Light, string>> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  none: '无',
};
