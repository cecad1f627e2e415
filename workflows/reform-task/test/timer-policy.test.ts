import { TransitionNotAllowed, allowedEvents, step } from '@duban/engine';
import type { InstanceState, TimerSpec } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReformTaskSnapshot } from '../src/index.ts';
import { endOfDayShanghai, light, overdueDays, reformTaskV1, timers } from '../src/index.ts';
import { DAY, DEADLINE, EARLY, actors, contextOf, created, play, send, taskInput } from './support.ts';

const t = (minutes: number) => EARLY + minutes * 60_000;
const snap = (instance: InstanceState) => instance.snapshot as ReformTaskSnapshot;
const dueTimes = (instance: InstanceState) => Object.fromEntries(timers(snap(instance)).map((timer: TimerSpec) => [timer.key, timer.dueAt]));

describe('deadline in Asia/Shanghai', () => {
  test('given "2023-06-30", then the deadline is the end of that day in Shanghai', () => {
    expect(endOfDayShanghai('2023-06-30')).toBe(Date.parse('2023-06-30T16:00:00Z'));
    expect(contextOf(created()).deadlineAt).toBe(DEADLINE);
  });

  test('given a malformed date, then it throws', () => {
    expect(() => endOfDayShanghai('2023-02-30')).toThrow(/calendar date/);
  });
});

describe('timers', () => {
  test('given a new task due 2023-06-30, then WARN is 3 days before, DEADLINE_PASSED at, ESCALATE 30 days after the deadline', () => {
    const task = created();
    expect(timers(snap(task))).toEqual([
      { key: 'WARN', dueAt: DEADLINE - 3 * DAY, event: { type: 'WARN', payload: {} } },
      { key: 'DEADLINE_PASSED', dueAt: DEADLINE, event: { type: 'DEADLINE_PASSED', payload: {} } },
      { key: 'ESCALATE', dueAt: DEADLINE + 30 * DAY, event: { type: 'ESCALATE', payload: { reason: '逾期30日未报送办结，自动启动约谈' } } },
    ]);
  });

  test('given the engine step, then it returns the same timers as the policy', () => {
    const result = step(reformTaskV1, created(), 'START', {}, actors.lead, t(1));
    expect(result.ok && result.step.timers.map((x) => x.key)).toEqual(['WARN', 'DEADLINE_PASSED', 'ESCALATE']);
  });

  test('given a lead time of 7 days and escalation after 10, then the timers follow them', () => {
    const task = created(taskInput({ warningLeadDays: 7, escalateAfterDays: 10 }));
    expect(dueTimes(task)).toEqual({ WARN: DEADLINE - 7 * DAY, DEADLINE_PASSED: DEADLINE, ESCALATE: DEADLINE + 10 * DAY });
    expect(timers(snap(task))[2]?.event.payload).toEqual({ reason: '逾期10日未报送办结，自动启动约谈' });
  });

  test('given no warning lead time, then there is no WARN timer', () => {
    expect(Object.keys(dueTimes(created(taskInput({ warningLeadDays: 0 }))))).toEqual(['DEADLINE_PASSED', 'ESCALATE']);
  });

  test('when WARN is sent a millisecond early, then it is refused; at its time, then accepted and the WARN timer is dropped', () => {
    const task = play(created(), [['START', 'lead', t(1)]]);
    const early = step(reformTaskV1, task, 'WARN', {}, actors.system, DEADLINE - 3 * DAY - 1);
    expect(early.ok === false && early.error instanceof TransitionNotAllowed).toBe(true);
    const warned = send(task, 'WARN', 'system', DEADLINE - 3 * DAY);
    expect(contextOf(warned).warned).toBe(true);
    expect(dueTimes(warned)).toEqual({ DEADLINE_PASSED: DEADLINE, ESCALATE: DEADLINE + 30 * DAY });
  });

  test('when DEADLINE_PASSED is sent before the deadline, then it is refused; at the deadline, then the task is overdue since the deadline', () => {
    const task = play(created(), [['START', 'lead', t(1)], ['WARN', 'system', DEADLINE - 3 * DAY]]);
    const early = step(reformTaskV1, task, 'DEADLINE_PASSED', {}, actors.system, DEADLINE - 1);
    expect(early.ok === false && early.error instanceof TransitionNotAllowed).toBe(true);
    const overdue = send(task, 'DEADLINE_PASSED', 'system', DEADLINE + 2 * DAY);
    expect(contextOf(overdue)).toMatchObject({ overdue: true, overdueSince: DEADLINE });
    expect(dueTimes(overdue)).toEqual({ ESCALATE: DEADLINE + 30 * DAY });
  });

  test('when the system escalates a day before its time, then it is refused; at its time, then the task goes to interview with no timers', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DEADLINE_PASSED', 'system', DEADLINE],
    ]);
    const early = step(reformTaskV1, task, 'ESCALATE', { reason: '逾期' }, actors.system, DEADLINE + 29 * DAY);
    expect(early.ok === false && early.error instanceof TransitionNotAllowed).toBe(true);
    const escalated = send(task, 'ESCALATE', 'system', DEADLINE + 30 * DAY, { reason: '逾期30日未报送办结，自动启动约谈' });
    expect(escalated.snapshot.value).toBe('interview');
    expect(contextOf(escalated)).toMatchObject({ escalatedBy: 'system', escalationReason: '逾期30日未报送办结，自动启动约谈' });
    expect(timers(snap(escalated))).toEqual([]);
  });

  test('given a report before the deadline, then every timer is dropped and the task never becomes overdue while verified', () => {
    const reported = play(created(), [['START', 'lead', t(1)], ['REPORT', 'lead', t(2)]]);
    expect(timers(snap(reported))).toEqual([]);
    expect(allowedEvents(reformTaskV1, reported.snapshot, actors.system, DEADLINE + 40 * DAY)).toEqual([]);
    expect(light(snap(reported))).toBe('green');
    expect(overdueDays(snap(reported), DEADLINE + 40 * DAY)).toBe(0);
  });

  test('given a report rejected after the deadline, then the unfired WARN and DEADLINE_PASSED are due at once', () => {
    const task = play(created(), [['START', 'lead', t(1)], ['REPORT', 'lead', t(2)], ['REJECT', 'office', DEADLINE + DAY]]);
    expect(dueTimes(task)).toEqual({ WARN: DEADLINE - 3 * DAY, DEADLINE_PASSED: DEADLINE, ESCALATE: DEADLINE + 30 * DAY });
    const overdue = play(task, [['WARN', 'system', DEADLINE + DAY], ['DEADLINE_PASSED', 'system', DEADLINE + DAY]]);
    expect([light(snap(overdue)), contextOf(overdue).overdueSince]).toEqual(['red', DEADLINE]);
  });

  test('given an approved extension, then the old timers are gone and new ones follow the new deadline', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['REQUEST_EXTENSION', 'lead', t(2), { until: '2023-08-31', reason: '需审批' }],
    ]);
    expect(dueTimes(task)).toEqual({ WARN: DEADLINE - 3 * DAY, DEADLINE_PASSED: DEADLINE, ESCALATE: DEADLINE + 30 * DAY });
    const extended = send(task, 'DECIDE_EXTENSION', 'office', t(3), { approve: true });
    const newDeadline = Date.parse('2023-08-31T16:00:00Z');
    expect(dueTimes(extended)).toEqual({ WARN: newDeadline - 3 * DAY, DEADLINE_PASSED: newDeadline, ESCALATE: newDeadline + 30 * DAY });
  });

  test('given the 3rd rejection, then an ESCALATE timer is due at that moment, and the system may escalate then', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['REPORT', 'lead', t(2)],
      ['REJECT', 'office', t(3)],
      ['REPORT', 'lead', t(4)],
      ['REJECT', 'office', t(5)],
    ]);
    expect(dueTimes(task).ESCALATE).toBe(DEADLINE + 30 * DAY);
    const third = play(task, [['REPORT', 'lead', t(6)], ['REJECT', 'office', t(7)]]);
    expect(timers(snap(third)).find((x) => x.key === 'ESCALATE')).toEqual({
      key: 'ESCALATE',
      dueAt: t(7),
      event: { type: 'ESCALATE', payload: { reason: '办结报送被退回3次，自动启动约谈' } },
    });
    expect(send(third, 'ESCALATE', 'system', t(7), { reason: '办结报送被退回3次，自动启动约谈' }).snapshot.value).toBe('interview');
  });

  test('given an interview recorded after the 3rd rejection, then the rejection escalation does not fire again', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['REPORT', 'lead', t(2)],
      ['REJECT', 'office', t(3)],
      ['REPORT', 'lead', t(4)],
      ['REJECT', 'office', t(5)],
      ['REPORT', 'lead', t(6)],
      ['REJECT', 'office', t(7)],
      ['ESCALATE', 'system', t(8), { reason: '退回3次' }],
      ['RECORD_INTERVIEW', 'office', t(9), { heldOn: '2023-06-11', attendees: ['局长'], findings: '质量不高', rectifyBy: '2023-07-10' }],
    ]);
    const rectifyEnd = Date.parse('2023-07-10T16:00:00Z');
    expect(dueTimes(task)).toEqual({ WARN: rectifyEnd - 3 * DAY, DEADLINE_PASSED: rectifyEnd, ESCALATE: rectifyEnd + 30 * DAY });
    expect(contextOf(task).rejections).toBe(3);
  });

  test('given a task with no deadline date, then it has no timers', () => {
    expect(timers(snap(created(taskInput({ deadline: { text: '长期坚持', date: null, ongoing: true } }))))).toEqual([]);
  });

  test('given an ongoing task with a first milestone, then it has the same timers for that milestone', () => {
    const ongoing = created(taskInput({ deadline: { text: '2023年6月底前并长期坚持', date: '2023-06-30', ongoing: true } }));
    expect(dueTimes(ongoing)).toEqual({ WARN: DEADLINE - 3 * DAY, DEADLINE_PASSED: DEADLINE, ESCALATE: DEADLINE + 30 * DAY });
  });

  test('given a task in a final state, then it has no timers', () => {
    expect(timers(snap(play(created(), [['CANCEL', 'office', t(1)]])))).toEqual([]);
  });
});

describe('light (红黄绿灯) and overdue days', () => {
  test('given a task that runs late, then its light goes green -> yellow -> red and overdue days count Shanghai calendar days', () => {
    const started = play(created(), [['START', 'lead', t(1)]]);
    expect(light(snap(started))).toBe('green');
    const warned = send(started, 'WARN', 'system', DEADLINE - 3 * DAY);
    expect(light(snap(warned))).toBe('yellow');
    expect(overdueDays(snap(warned), DEADLINE - 1)).toBe(0);
    const overdue = send(warned, 'DEADLINE_PASSED', 'system', DEADLINE);
    expect(light(snap(overdue))).toBe('red');
    expect(overdueDays(snap(overdue), DEADLINE)).toBe(1);
    expect(overdueDays(snap(overdue), DEADLINE + DAY - 1)).toBe(1);
    expect(overdueDays(snap(overdue), DEADLINE + DAY)).toBe(2);
  });

  test('given a late report, then it stays red while verified and overdue days stop at the report', () => {
    const late = play(created(), [
      ['START', 'lead', t(1)],
      ['DEADLINE_PASSED', 'system', DEADLINE],
      ['REPORT', 'lead', DEADLINE + 2 * DAY + 1],
    ]);
    expect(light(snap(late))).toBe('red');
    expect(overdueDays(snap(late), DEADLINE + 20 * DAY)).toBe(3);
    const verified = send(late, 'VERIFY', 'office', DEADLINE + 3 * DAY);
    expect([light(snap(verified)), overdueDays(snap(verified), DEADLINE + 20 * DAY)]).toEqual(['green', 0]);
  });

  test('given a rejection, then the light is yellow while the unit reworks', () => {
    const rejected = play(created(), [['START', 'lead', t(1)], ['REPORT', 'lead', t(2)], ['REJECT', 'office', t(3)]]);
    expect(light(snap(rejected))).toBe('yellow');
    expect(light(snap(send(rejected, 'REPORT', 'lead', t(4))))).toBe('green');
  });

  test('given an interview, accountability or cancellation, then red, red and none', () => {
    const interview = play(created(), [['ESCALATE', 'office', t(1)]]);
    expect(light(snap(interview))).toBe('red');
    expect(light(snap(send(interview, 'REFER', 'office', t(2))))).toBe('red');
    expect(light(snap(play(created(), [['CANCEL', 'office', t(1)]])))).toBe('none');
  });

  test('given the clock past the deadline before the timer fired, then overdue days already count for an unreported task', () => {
    expect(overdueDays(snap(created()), DEADLINE + 5 * DAY)).toBe(6);
  });
});
