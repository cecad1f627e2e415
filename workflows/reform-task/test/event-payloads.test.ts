import { describe, expect, test } from 'vitest';
import type { ReformTaskEventType } from '../src/index.ts';
import { eventFieldLabels, eventLabels, reformTaskEventPayloads, reformTaskEventTypes } from '../src/index.ts';
import { validPayloads } from './support.ts';

// For each event: its required fields and the longest text each string field accepts.
const shapes: Readonly<Record<ReformTaskEventType, { required: readonly string[]; maxText: Readonly<Record<string, number>> }>> = {
  START: { required: [], maxText: { note: 500 } },
  PROGRESS: { required: ['summary'], maxText: { summary: 2000 } },
  REPORT: { required: ['summary', 'evidence'], maxText: { summary: 2000 } },
  VERIFY: { required: [], maxText: { opinion: 1000 } },
  REJECT: { required: ['reason'], maxText: { reason: 1000 } },
  CLOSE: { required: [], maxText: { note: 500 } },
  URGE: { required: ['message'], maxText: { message: 1000 } },
  ESCALATE: { required: ['reason'], maxText: { reason: 1000 } },
  RECORD_INTERVIEW: { required: ['heldOn', 'attendees', 'findings', 'rectifyBy'], maxText: { findings: 4000 } },
  REFER: { required: ['reason', 'referredTo'], maxText: { reason: 1000, referredTo: 200 } },
  REQUEST_EXTENSION: { required: ['until', 'reason'], maxText: { reason: 1000 } },
  DECIDE_EXTENSION: { required: ['approve'], maxText: { note: 1000 } },
  REASSIGN: { required: ['leadUnits'], maxText: {} },
  COMMENT: { required: ['text'], maxText: { text: 4000 } },
  INSTRUCT: { required: ['text'], maxText: { text: 2000 } },
  CANCEL: { required: ['reason'], maxText: { reason: 1000 } },
  AMEND: { required: ['reason'], maxText: { reason: 1000, text: 10_000 } },
  ACKNOWLEDGE_PART: { required: [], maxText: {} },
  PART_PROGRESS: { required: ['summary'], maxText: { summary: 2000 } },
  PART_DONE: { required: ['summary'], maxText: { summary: 2000 } },
  RETURN_PART: { required: ['unit', 'reason'], maxText: { unit: 100, reason: 1000 } },
  WARN: { required: [], maxText: {} },
  DEADLINE_PASSED: { required: [], maxText: {} },
};

const accepts = (type: ReformTaskEventType, payload: unknown) => reformTaskEventPayloads[type].safeParse(payload).success;

describe.each(reformTaskEventTypes)('payload of %s', (type) => {
  const valid = validPayloads[type];
  const shape = shapes[type];

  test('given the standard payload, then it is accepted', () => {
    expect(accepts(type, valid)).toBe(true);
  });

  test('given an unknown key, then it is rejected', () => {
    expect(accepts(type, { ...valid, unexpected: 'x' })).toBe(false);
  });

  test('given any required field missing, then it is rejected', () => {
    for (const field of shape.required) {
      const { [field]: _dropped, ...rest } = valid;
      expect(accepts(type, rest), field).toBe(false);
    }
  });

  test('given a text field at its limit, then accepted; one character over or blank, then rejected', () => {
    for (const [field, max] of Object.entries(shape.maxText)) {
      expect(accepts(type, { ...valid, [field]: '字'.repeat(max) }), field).toBe(true);
      expect(accepts(type, { ...valid, [field]: '字'.repeat(max + 1) }), field).toBe(false);
      expect(accepts(type, { ...valid, [field]: '   ' }), field).toBe(false);
    }
  });

  test('then it has a Chinese label and a label for each field', () => {
    expect(eventLabels[type]).toMatch(/\p{Script=Han}/u);
    const fields = Object.keys(reformTaskEventPayloads[type].shape);
    expect(Object.keys(eventFieldLabels[type]).sort()).toEqual(fields.sort());
  });
});

describe('field rules', () => {
  test('given text with surrounding spaces, then it is trimmed', () => {
    expect(reformTaskEventPayloads.URGE.parse({ message: '  请加快  ' })).toEqual({ message: '请加快' });
  });

  test('given a percent outside 0..100 or not whole, then PROGRESS rejects it', () => {
    for (const percent of [-1, 101, 50.5, '50']) expect(accepts('PROGRESS', { summary: '进展', percent }), String(percent)).toBe(false);
    for (const percent of [0, 100]) expect(accepts('PROGRESS', { summary: '进展', percent })).toBe(true);
  });

  test('given no evidence, or evidence with an unknown key or an empty title, then REPORT rejects it', () => {
    expect(accepts('REPORT', { summary: '办结', evidence: [] })).toBe(false);
    expect(accepts('REPORT', { summary: '办结', evidence: [{ title: '文件', url: 'x' }] })).toBe(false);
    expect(accepts('REPORT', { summary: '办结', evidence: [{ title: ' ' }] })).toBe(false);
    expect(accepts('REPORT', { summary: '办结', evidence: [{ title: '字'.repeat(201) }] })).toBe(false);
  });

  test('given a rectification date not after the interview, or a date that does not exist, then RECORD_INTERVIEW rejects it', () => {
    const base = validPayloads.RECORD_INTERVIEW;
    expect(accepts('RECORD_INTERVIEW', { ...base, rectifyBy: base.heldOn })).toBe(false);
    expect(accepts('RECORD_INTERVIEW', { ...base, rectifyBy: '2023-06-01' })).toBe(false);
    expect(accepts('RECORD_INTERVIEW', { ...base, heldOn: '2023-02-30' })).toBe(false);
    expect(accepts('RECORD_INTERVIEW', { ...base, heldOn: '2023/06/12' })).toBe(false);
    expect(accepts('RECORD_INTERVIEW', { ...base, attendees: [] })).toBe(false);
  });

  test('given a refusal that names a date, then DECIDE_EXTENSION rejects it', () => {
    expect(accepts('DECIDE_EXTENSION', { approve: false, until: '2023-08-31' })).toBe(false);
    expect(accepts('DECIDE_EXTENSION', { approve: true, until: '2023-08-31' })).toBe(true);
    expect(accepts('DECIDE_EXTENSION', { approve: 'yes' })).toBe(false);
  });

  test('given no lead unit or a repeated one, then REASSIGN rejects it', () => {
    expect(accepts('REASSIGN', { leadUnits: [] })).toBe(false);
    expect(accepts('REASSIGN', { leadUnits: ['市林草局', '市林草局'] })).toBe(false);
    expect(accepts('REASSIGN', { leadUnits: ['字'.repeat(101)] })).toBe(false);
  });

  test('given any payload, then WARN and DEADLINE_PASSED accept only the empty object', () => {
    expect(accepts('WARN', {})).toBe(true);
    expect(accepts('DEADLINE_PASSED', { reason: 'x' })).toBe(false);
  });
});
