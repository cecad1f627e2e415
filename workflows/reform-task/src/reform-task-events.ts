import { z } from 'zod';
import { calendarDate } from './calendar-date.ts';
import { unitName, unitNames } from './unit-name.ts';
import { failedVerificationChecks, verificationCheckAnswers } from './verification-checks.ts';

/** A visible character: neither white space nor an invisible format character (zero-width space, BOM, soft hyphen…). */
const VISIBLE = /[^\s\p{Cf}]/u;

function text(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => VISIBLE.test(value), '须含有可见文字，不能只有空白或不可见字符');
}

/**
 * One evidence file (佐证材料) as the log keeps it: the SHA-256, size and type of the stored bytes (the
 * type judged from the bytes) and the name it was uploaded under. The server fills it in from an
 * upload of the sender's own; `audit verify` checks the stored bytes against it.
 */
export const attachment = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '须为 64 位十六进制 SHA-256'),
  name: text(200),
  size: z.number().int().min(1),
  type: z.string().min(1).max(200),
});

/** Files attached to one event: at most 20. */
const attachments = z.array(attachment).min(1).max(20).optional();

/**
 * Files a comment withdraws (更正作废): each an earlier file of the task by its SHA-256, with the
 * reason. Nothing is deleted: the file and the entry that attached it stay in the log, marked
 * superseded wherever the task's files are shown. The server checks the file is the task's (and, for
 * a unit, its own); the state is left alone.
 */
const supersedes = z
  .array(z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, '须为 64 位十六进制 SHA-256'), reason: text(500) }))
  .min(1)
  .max(20)
  .refine((items) => new Set(items.map((item) => item.sha256)).size === items.length, '同一文件只能作废一次')
  .optional();

/** Strict payload schema of every reform-task event, in the order of the lifecycle table. */
export const reformTaskEventPayloads = {
  START: z.strictObject({ note: text(500).optional() }),
  PROGRESS: z.strictObject({
    summary: text(2000),
    percent: z.number().int().min(0).max(100).optional(),
    attachments,
  }),
  REPORT: z.strictObject({
    summary: text(2000),
    evidence: z.array(z.strictObject({ title: text(200), ref: text(500).optional() })).min(1).max(50),
    attachments,
  }),
  VERIFY: z.strictObject({ opinion: text(1000).optional(), checks: verificationCheckAnswers.optional() }),
  REJECT: z.strictObject({ reason: text(1000), failed: failedVerificationChecks.optional() }),
  CLOSE: z.strictObject({ note: text(500).optional(), commend: z.boolean().optional() }),
  URGE: z.strictObject({ message: text(1000) }),
  ESCALATE: z.strictObject({ reason: text(1000) }),
  RECORD_INTERVIEW: z
    .strictObject({
      heldOn: calendarDate,
      attendees: z.array(text(100)).min(1).max(50),
      findings: text(4000),
      rectifyBy: calendarDate,
      attachments,
    })
    // Same-format YYYY-MM-DD strings order as the dates do.
    .refine((p) => p.rectifyBy > p.heldOn, { path: ['rectifyBy'], message: '整改期限须晚于约谈日期' }),
  REFER: z.strictObject({ reason: text(1000), referredTo: text(200), attachments }),
  REQUEST_EXTENSION: z.strictObject({ until: calendarDate, reason: text(1000), attachments }),
  DECIDE_EXTENSION: z
    .strictObject({ approve: z.boolean(), until: calendarDate.optional(), note: text(1000).optional() })
    .refine((p) => p.approve || p.until === undefined, { path: ['until'], message: '不批准时不得指定延期日期' }),
  REASSIGN: z.strictObject({ leadUnits: unitNames(1, 50) }),
  CANCEL: z.strictObject({ reason: text(1000) }),
  AMEND: z
    .strictObject({
      reason: text(1000),
      text: text(10_000).optional(),
      deadline: z
        .strictObject({ date: calendarDate.nullable(), text: z.string().trim().max(200).optional(), ongoing: z.boolean().optional() })
        .optional(),
      leadUnits: unitNames(1, 50).optional(),
      responsibleUnits: unitNames(0, 200).optional(),
      /** Filled in by the server from the unit registry: the members of each collective the amended task names. */
      collectives: z.record(unitName, z.array(unitName).max(200)).optional(),
    })
    .refine((p) => p.text !== undefined || p.deadline !== undefined || p.leadUnits !== undefined || p.responsibleUnits !== undefined, {
      path: ['reason'],
      message: '须至少修改一项：任务内容、完成时限、牵头单位或责任单位',
    }),
  COMMENT: z.strictObject({ text: text(4000), ask: unitNames(1, 50).optional(), attachments, supersedes }),
  INSTRUCT: z.strictObject({ text: text(2000) }),
  ACKNOWLEDGE_PART: z.strictObject({}),
  PART_PROGRESS: z.strictObject({
    summary: text(2000),
    percent: z.number().int().min(0).max(100).optional(),
    attachments,
  }),
  PART_DONE: z.strictObject({ summary: text(2000), attachments }),
  RETURN_PART: z.strictObject({ unit: unitName, reason: text(1000) }),
  WARN: z.strictObject({}),
  DEADLINE_PASSED: z.strictObject({}),
};

export type ReformTaskEventType = keyof typeof reformTaskEventPayloads;

/** The validated payload of each event type. */
export type ReformTaskPayloads = { [K in ReformTaskEventType]: z.output<(typeof reformTaskEventPayloads)[K]> };

/** Every event type, in the order of the lifecycle table. */
export const reformTaskEventTypes = Object.keys(reformTaskEventPayloads) as ReformTaskEventType[];
