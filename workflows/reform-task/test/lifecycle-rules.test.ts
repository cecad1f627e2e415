import { InvalidPayload, TransitionNotAllowed, step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import { reformTaskV1 } from '../src/index.ts';
import { DAY, DEADLINE, EARLY, actors, contextOf, created, play, send, taskInput } from './support.ts';

const t = (minutes: number) => EARLY + minutes * 60_000;

describe('lifecycle rules beyond the state table', () => {
  test('given a task with a collective responsible unit, when each district government reports progress, then the last one is recorded', () => {
    let task = play(created(), [['START', 'lead', t(1)]]);
    for (const [i, unit] of ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'].entries()) {
      const result = step(reformTaskV1, task, 'PROGRESS', { summary: `第${i + 1}次`, percent: 10 * i }, { role: 'unit', unit }, t(2 + i));
      expect(result.ok, unit).toBe(true);
      if (result.ok) task = { ...task, version: task.version + 1, snapshot: result.step.snapshot };
    }
    expect(contextOf(task).lastProgress).toEqual({ summary: '第4次', percent: 30, at: t(5), by: '乌尔禾区人民政府' });
  });

  test('given a progress report without percent, then percent is stored as null (JSON only)', () => {
    const task = play(created(), [['START', 'lead', t(1)], ['PROGRESS', 'responsible', t(2), { summary: '  正在推进  ' }]]);
    expect(contextOf(task).lastProgress).toEqual({ summary: '正在推进', percent: null, at: t(2), by: '市自然资源局' });
  });

  test('given a responsible unit, when it tries to report completion, then it is forbidden', () => {
    const task = play(created(), [['START', 'lead', t(1)]]);
    const result = step(reformTaskV1, task, 'REPORT', { summary: 'x', evidence: [{ title: 'y' }] }, actors.responsible, t(2));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.name).toBe('Forbidden');
  });

  test('given an overdue task in interview, when the interview is recorded, then the rectification date is the new deadline and the task is no longer overdue', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DEADLINE_PASSED', 'system', DEADLINE],
      ['ESCALATE', 'office', DEADLINE + 5 * DAY],
      [
        'RECORD_INTERVIEW',
        'office',
        DEADLINE + 6 * DAY,
        { heldOn: '2023-07-05', attendees: ['市林草局局长', '办公室主任'], findings: '推进迟缓', rectifyBy: '2023-07-31' },
      ],
    ]);
    const c = contextOf(task);
    expect(task.snapshot.value).toBe('in_progress');
    expect(c.deadlineAt).toBe(Date.parse('2023-07-31T16:00:00Z'));
    expect(c.dueDate).toBe('2023-07-31');
    expect([c.overdue, c.warned, c.overdueSince]).toEqual([false, false, null]);
    expect(c.interviews).toEqual([
      { heldOn: '2023-07-05', attendees: ['市林草局局长', '办公室主任'], findings: '推进迟缓', rectifyBy: '2023-07-31', recordedAt: DEADLINE + 6 * DAY },
    ]);
    expect(c.escalatedBy).toBe('office');
    expect(c.stateSince).toBe(DEADLINE + 6 * DAY);
    expect(c.deadline.date).toBe('2023-06-30');
  });

  test('given a task in interview, when the interview is recorded as held after the day it is recorded, then the payload is refused (422) naming heldOn', () => {
    const task = play(created(), [['START', 'lead', t(1)], ['ESCALATE', 'office', t(2)]]);
    const recordedAt = Date.parse('2023-06-12T15:59:00Z'); // 23:59 on 2023-06-12 in Asia/Shanghai
    const interview = (heldOn: string) => ({ heldOn, attendees: ['办公室主任'], findings: '推进迟缓', rectifyBy: '2023-07-31' });
    const future = step(reformTaskV1, task, 'RECORD_INTERVIEW', interview('2023-06-13'), actors.office, recordedAt);
    expect(future.ok === false && future.error instanceof InvalidPayload && future.error.issues.map((i) => i.path)).toEqual(['heldOn']);
    expect(step(reformTaskV1, task, 'RECORD_INTERVIEW', interview('2023-06-12'), actors.office, recordedAt).ok).toBe(true);
  });

  test('given a pending extension, when the lead asks again, then it is refused: one request at a time', () => {
    const task = play(created(), [['REQUEST_EXTENSION', 'lead', t(1)]]);
    const result = step(reformTaskV1, task, 'REQUEST_EXTENSION', { until: '2023-09-30', reason: '再申请' }, actors.lead, t(2));
    expect(result.ok === false && result.error instanceof TransitionNotAllowed).toBe(true);
  });

  test('given a request for a date not after the deadline, then it is refused as an invalid payload naming until', () => {
    const result = step(reformTaskV1, created(), 'REQUEST_EXTENSION', { until: '2023-06-30', reason: '无' }, actors.lead, t(1));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(InvalidPayload);
      expect((result.error as InvalidPayload).issues.map((i) => i.path)).toEqual(['until']);
    }
  });

  test('given the deadline has passed and the task is overdue, when the lead asks for an extension to a later day, then it is accepted and pending', () => {
    const overdue = play(created(), [['START', 'lead', t(1)], ['DEADLINE_PASSED', 'system', DEADLINE]]);
    expect(contextOf(overdue).overdue).toBe(true);
    const result = step(reformTaskV1, overdue, 'REQUEST_EXTENSION', { until: '2023-08-31', reason: '晚了' }, actors.lead, DEADLINE + 2 * DAY);
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.step.snapshot.context as ReturnType<typeof contextOf>).pendingExtension).toMatchObject({ until: '2023-08-31', reason: '晚了' });
  });

  test('given an overdue task, when the lead asks for an extension to a day already past, then the payload is refused naming until', () => {
    const overdue = play(created(), [['DEADLINE_PASSED', 'system', DEADLINE]]);
    const result = step(reformTaskV1, overdue, 'REQUEST_EXTENSION', { until: '2023-07-01', reason: '晚了' }, actors.lead, DEADLINE + 5 * DAY);
    expect(result.ok === false && result.error instanceof InvalidPayload && result.error.issues.map((i) => i.path)).toEqual(['until']);
  });

  test('given a task with no deadline date, when the lead asks for an extension, then it is refused', () => {
    const task = created(taskInput({ deadline: { text: '长期坚持', date: null, ongoing: true } }));
    const result = step(reformTaskV1, task, 'REQUEST_EXTENSION', { until: '2023-08-31', reason: '无' }, actors.lead, t(1));
    expect(result.ok === false && result.error instanceof TransitionNotAllowed).toBe(true);
  });

  test('given a warned task with a pending extension, when the office approves, then the deadline moves to the requested date and the warning clears', () => {
    const task = play(created(), [
      ['REQUEST_EXTENSION', 'lead', DEADLINE - 4 * DAY, { until: '2023-08-31', reason: '需自治区审批' }],
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DECIDE_EXTENSION', 'office', DEADLINE - 2 * DAY, { approve: true, note: '同意' }],
    ]);
    const c = contextOf(task);
    expect(c.deadlineAt).toBe(Date.parse('2023-08-31T16:00:00Z'));
    expect(c.warned).toBe(false);
    expect(c.pendingExtension).toBeNull();
    expect(c.extensions).toEqual([{ from: '2023-06-30', until: '2023-08-31', requested: '2023-08-31', note: '同意', grantedAt: DEADLINE - 2 * DAY }]);
  });

  test('given a pending extension, when the office approves with its own date, then that date wins', () => {
    const task = play(created(), [
      ['REQUEST_EXTENSION', 'lead', t(1), { until: '2023-08-31', reason: '需自治区审批' }],
      ['DECIDE_EXTENSION', 'office', t(2), { approve: true, until: '2023-07-31' }],
    ]);
    expect(contextOf(task).dueDate).toBe('2023-07-31');
  });

  test('given a pending extension, when the office refuses, then the deadline stays and the request is gone', () => {
    const task = play(created(), [
      ['REQUEST_EXTENSION', 'lead', t(1)],
      ['DECIDE_EXTENSION', 'office', t(2), { approve: false, note: '理由不充分' }],
    ]);
    const c = contextOf(task);
    expect([c.deadlineAt, c.pendingExtension, c.extensions]).toEqual([DEADLINE, null, []]);
    expect(c.lastExtensionDecision).toEqual({ approve: false, until: null, note: '理由不充分', at: t(2) });
  });

  test('given an approval date not after the deadline, then it is refused as an invalid payload', () => {
    const task = play(created(), [['REQUEST_EXTENSION', 'lead', t(1)]]);
    const result = step(reformTaskV1, task, 'DECIDE_EXTENSION', { approve: true, until: '2023-06-01' }, actors.office, t(2));
    expect(result.ok === false && result.error instanceof InvalidPayload).toBe(true);
  });

  test('given a reassignment, then the new lead may report and the old one may not', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['REASSIGN', 'office', t(2), { leadUnits: ['市自然资源局'] }],
    ]);
    expect(contextOf(task).leadUnits).toEqual(['市自然资源局']);
    const old = step(reformTaskV1, task, 'REPORT', { summary: 'x', evidence: [{ title: 'y' }] }, actors.lead, t(3));
    expect(old.ok === false && old.error.name).toBe('Forbidden');
    expect(send(task, 'REPORT', 'responsible', t(3)).snapshot.value).toBe('reported');
  });

  test('given the full happy path, then the context records who did what and when', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['URGE', 'office', t(2), { message: '请加快' }],
      ['REPORT', 'lead', t(3)],
      ['REJECT', 'office', t(4), { reason: '材料不全' }],
      ['REPORT', 'lead', t(5)],
      ['VERIFY', 'office', t(6)],
      ['CLOSE', 'office', t(7), { commend: true }],
    ]);
    const c = contextOf(task);
    expect(task.snapshot.status).toBe('done');
    expect(c).toMatchObject({
      startedAt: t(1),
      urges: 1,
      lastUrge: { message: '请加快', at: t(2) },
      rejections: 1,
      lastRejection: { reason: '材料不全', at: t(4) },
      reportedAt: t(5),
      verifiedAt: t(6),
      lastVerification: { opinion: '材料齐全', at: t(6) },
      closedAt: t(7),
      commended: true,
      stateSince: t(7),
      lastReport: { summary: '审批管理办法已印发', evidence: [{ title: '克林草发〔2023〕12号', ref: 'doc-12' }], at: t(5), by: '市林草局' },
    });
  });

  test('given any accepted event, then the stored context is plain JSON (no undefined, no Date)', () => {
    const task = play(created(), [
      ['START', 'lead', t(1), {}],
      ['PROGRESS', 'lead', t(2), { summary: '进展' }],
      ['REPORT', 'lead', t(3), { summary: '办结', evidence: [{ title: '文件' }] }],
      ['VERIFY', 'office', t(4), {}],
      ['CLOSE', 'office', t(5), {}],
    ]);
    expect(JSON.parse(JSON.stringify(task.snapshot.context))).toEqual(task.snapshot.context);
    expect(contextOf(task).commended).toBe(false);
  });

  test('given a refer and a cancel, then their reasons are kept', () => {
    const referred = play(created(), [
      ['ESCALATE', 'office', t(1)],
      ['REFER', 'office', t(2), { reason: '整改不力', referredTo: '市纪委监委' }],
    ]);
    expect(contextOf(referred).referral).toEqual({ reason: '整改不力', referredTo: '市纪委监委', at: t(2) });
    expect(contextOf(play(created(), [['CANCEL', 'office', t(1), { reason: '上级调整' }]])).cancelledReason).toBe('上级调整');
  });
});
