import type { InstanceState } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReformTaskSnapshot } from '../src/index.ts';
import { instancesFromPlan, light, overdueDays, timers } from '../src/index.ts';
import { DAY, DEADLINE, contextOf, created, send, taskInput } from './support.ts';

/** Imported three years after its deadline of 2023-06-30. */
const IMPORT = Date.parse('2026-06-01T02:00:00Z');
const snap = (instance: InstanceState) => instance.snapshot as ReformTaskSnapshot;
const dueTimes = (instance: InstanceState) => Object.fromEntries(timers(snap(instance)).map((timer) => [timer.key, timer.dueAt]));

describe('a task imported after its deadline (graceFrom)', () => {
  test('given a plan imported after some deadlines, when its instances are planned, then only the tasks past their deadline carry the import instant', () => {
    const task = (number: number, date: string) => ({ number, part: null, measure: null, text: `任务${number}`, leadUnits: ['市林草局'], responsibleUnits: [], deadline: { text: date, date, ongoing: false } });
    const planned = instancesFromPlan({ tasks: [task(1, '2023-06-30'), task(2, '2026-12-31')] }, { membersOf: () => [] }, { planId: 'p', graceFrom: IMPORT });
    expect(planned.map((p) => p.input.graceFrom)).toEqual([IMPORT, undefined]);
    expect('graceFrom' in planned[1]!.input).toBe(false);
  });

  test('given a task imported late, then DEADLINE_PASSED is due at once but the automatic escalation only escalateAfterDays after the import', () => {
    const task = created(taskInput({ graceFrom: IMPORT }));
    expect(dueTimes(task)).toEqual({ WARN: DEADLINE - 3 * DAY, DEADLINE_PASSED: DEADLINE, ESCALATE: IMPORT + 30 * DAY });
  });

  test('given the same task without graceFrom, then it escalates 30 days after the 2023 deadline (so the grace is what moves it)', () => {
    expect(dueTimes(created())['ESCALATE']).toBe(DEADLINE + 30 * DAY);
  });

  test('when the overdue timer fires at the import, then the task is overdue since the import and counts 1 day there, 11 days ten days later', () => {
    const overdue = send(send(created(taskInput({ graceFrom: IMPORT })), 'WARN', 'system', IMPORT), 'DEADLINE_PASSED', 'system', IMPORT);
    expect(contextOf(overdue).overdueSince).toBe(IMPORT);
    expect(light(snap(overdue))).toBe('red');
    expect(overdueDays(snap(overdue), IMPORT)).toBe(1);
    expect(overdueDays(snap(overdue), IMPORT + 10 * DAY)).toBe(11);
  });

  test('when the system escalates right at the import, then it is refused; 30 days after, then accepted', () => {
    const overdue = send(send(created(taskInput({ graceFrom: IMPORT })), 'WARN', 'system', IMPORT), 'DEADLINE_PASSED', 'system', IMPORT);
    expect(() => send(overdue, 'ESCALATE', 'system', IMPORT + DAY, { reason: '逾期30日未报送办结，自动启动约谈' })).toThrow();
    expect(send(overdue, 'ESCALATE', 'system', IMPORT + 30 * DAY, { reason: '逾期30日未报送办结，自动启动约谈' }).snapshot.value).toBe('interview');
  });
});
