import { InvalidPayload, step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import { reformTaskV1, timers } from '../src/index.ts';
import type { ReformTaskSnapshot } from '../src/index.ts';
import { DAY, DEADLINE, EARLY, actors, contextOf, created, play, send } from './support.ts';

const t = (minutes: number) => EARLY + minutes * 60_000;

describe('AMEND (调整任务)', () => {
  test('given an overdue task, when the office amends its deadline, then the limit as written and in force move, the clock starts afresh and the timers follow the new date', () => {
    const overdue = play(created(), [
      ['START', 'lead', t(1)],
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DEADLINE_PASSED', 'system', DEADLINE],
    ]);
    const amended = send(overdue, 'AMEND', 'office', DEADLINE + DAY, { reason: '市政府常务会议议定延后', deadline: { date: '2023-09-30' } });
    const c = contextOf(amended);
    expect(c.deadline).toEqual({ text: '2023年9月30日前', date: '2023-09-30', ongoing: false });
    expect(c.dueDate).toBe('2023-09-30');
    expect(c.deadlineAt).toBe(Date.parse('2023-09-30T16:00:00Z'));
    expect([c.overdue, c.warned, c.overdueSince]).toEqual([false, false, null]);
    const armed = timers(amended.snapshot as ReformTaskSnapshot).map((timer) => [timer.key, timer.dueAt]);
    expect(armed).toContainEqual(['DEADLINE_PASSED', Date.parse('2023-09-30T16:00:00Z')]);
    expect(armed).toContainEqual(['WARN', Date.parse('2023-09-30T16:00:00Z') - 3 * DAY]);
  });

  test('given a task, when the office amends its text and units, then the task carries them and the old lead may no longer report', () => {
    const task = play(created(), [['START', 'lead', t(1)]]);
    const amended = send(task, 'AMEND', 'office', t(2), {
      reason: '领导交办调整',
      text: '优化林草审批，压缩时限一半',
      leadUnits: ['市自然资源局'],
      responsibleUnits: ['市林草局'],
      collectives: {},
    });
    const c = contextOf(amended);
    expect([c.text, c.leadUnits, c.responsibleUnits, c.collectives]).toEqual(['优化林草审批，压缩时限一半', ['市自然资源局'], ['市林草局'], {}]);
    expect(c.deadline.date).toBe('2023-06-30');
    const byOldLead = step(reformTaskV1, amended, 'REPORT', { summary: 'x', evidence: [{ title: 'y' }] }, actors.lead, t(3));
    expect(byOldLead.ok).toBe(false);
  });

  test('given a task, when an amendment changes nothing, or sets a deadline already past, then the payload is refused naming the field', () => {
    const task = created();
    const same = step(reformTaskV1, task, 'AMEND', { reason: '核对', deadline: { date: '2023-06-30', text: '2023年6月底前' } }, actors.office, t(1));
    expect(same.ok).toBe(false);
    if (!same.ok) {
      expect(same.error).toBeInstanceOf(InvalidPayload);
      expect(JSON.stringify(same.error)).toContain('reason');
    }
    const past = step(reformTaskV1, task, 'AMEND', { reason: '提前', deadline: { date: '2023-01-01' } }, actors.office, t(1));
    expect(past.ok).toBe(false);
    if (!past.ok) expect(JSON.stringify(past.error)).toContain('deadline.date');
  });

  test('given an amendment without a reason, or with a deadline that is not a date, then the schema refuses it', () => {
    const task = created();
    for (const payload of [{ text: '新内容' }, { reason: '  ', text: '新内容' }, { reason: '调整', deadline: { date: '9月底' } }, { reason: '只有理由' }]) {
      const result = step(reformTaskV1, task, 'AMEND', payload, actors.office, t(1));
      expect(result.ok, JSON.stringify(payload)).toBe(false);
    }
  });

  test('given a lead unit, when it tries to amend its own task, then it is forbidden', () => {
    const result = step(reformTaskV1, created(), 'AMEND', { reason: '想改', text: '新内容' }, actors.lead, t(1));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.name).toBe('Forbidden');
  });

  test('given a closed task, when the office amends it, then the machine refuses it', () => {
    const closed = play(created(), [['START', 'lead', t(1)], ['REPORT', 'lead', t(2)], ['VERIFY', 'office', t(3)], ['CLOSE', 'office', t(4)]]);
    const result = step(reformTaskV1, closed, 'AMEND', { reason: '补改', text: '新内容' }, actors.office, t(5));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.name).toBe('TransitionNotAllowed');
  });
});
