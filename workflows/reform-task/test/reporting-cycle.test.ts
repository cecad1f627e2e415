import { WorkflowRegistry, start, step } from '@duban/engine';
import type { StoredSnapshot } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReportingCycleContext, ScheduleContext } from '../src/index.ts';
import { cycleAt, cycleByKey, cycleSettings, cycleTimers, DUE_DAY_MESSAGE, reportingCycleV1, reportingCycleV2, taskCyclesInstanceId } from '../src/index.ts';

const shanghai = (text: string) => Date.parse(`${text}+08:00`);
const office = { role: 'office', unit: null };
const system = { role: 'system', unit: null };

describe('reporting cycles: the calendar', () => {
  test('given monthly cycles on the 5th, when a report is made on 20 May, then it counts for the June cycle, due at the end of 5 June in Shanghai, reminded at 09:00 on 2 June', () => {
    const settings = cycleSettings.parse({ frequency: 'monthly', day: 5 });
    const cycle = cycleAt(settings, shanghai('2023-05-20T10:00:00'))!;
    expect(cycle).toEqual({ key: '2023-06', dueDate: '2023-06-05', opensAt: shanghai('2023-05-06T00:00:00'), dueAt: shanghai('2023-06-06T00:00:00'), remindAt: shanghai('2023-06-02T09:00:00') });
    expect(cycleAt(settings, shanghai('2023-05-05T23:59:59'))!.key).toBe('2023-05');
    expect(cycleAt(settings, shanghai('2023-05-06T00:00:00'))!.key).toBe('2023-06');
  });

  test('given the 31st (or 29th, 30th) as a due day, then the settings are refused with the message pointing at 月末', () => {
    for (const day of [29, 30, 31]) {
      const parsed = cycleSettings.safeParse({ frequency: 'monthly', day });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe(DUE_DAY_MESSAGE);
    }
    expect(DUE_DAY_MESSAGE).toContain('月末');
    expect(cycleSettings.safeParse({ frequency: 'monthly', day: 0 }).success).toBe(false);
  });

  test('given 月末, then February is due on the 28th, in a leap year on the 29th, and January on the 31st', () => {
    const settings = cycleSettings.parse({ frequency: 'monthly', day: 'last' });
    expect(cycleByKey(settings, '2023-02')!.dueDate).toBe('2023-02-28');
    expect(cycleByKey(settings, '2024-02')!.dueDate).toBe('2024-02-29');
    expect(cycleByKey(settings, '2024-01')!.dueDate).toBe('2024-01-31');
    expect(cycleByKey(settings, '2024-03')!.opensAt).toBe(shanghai('2024-03-01T00:00:00'));
  });

  test('given quarterly cycles on the 10th, then each is due on the 10th of its quarter\'s first month; 季末 is the quarter\'s last day; a month key names no quarter', () => {
    const tenth = cycleSettings.parse({ frequency: 'quarterly', day: 10 });
    expect(cycleAt(tenth, shanghai('2023-05-10T09:00:00'))).toMatchObject({ key: '2023-Q3', dueDate: '2023-07-10', opensAt: shanghai('2023-04-11T00:00:00') });
    expect(cycleAt(tenth, shanghai('2023-12-20T09:00:00'))!.key).toBe('2024-Q1');
    const last = cycleSettings.parse({ frequency: 'quarterly', day: 'last' });
    expect(cycleAt(last, shanghai('2023-05-10T09:00:00'))).toMatchObject({ key: '2023-Q2', dueDate: '2023-06-30' });
    expect(cycleByKey(last, '2023-Q4')!.dueDate).toBe('2023-12-31');
    expect(cycleByKey(last, '2023-06')).toBeUndefined();
    expect(cycleAt(cycleSettings.parse({ frequency: 'none', day: 1 }), 0)).toBeUndefined();
  });
});

describe('reporting cycles: the workflow', () => {
  const begin = () => {
    const started = start(reportingCycleV1, 'cycles:p', { planId: 'p' }, office, shanghai('2023-05-10T09:00:00'));
    if (!started.ok) throw started.error;
    return started.step.snapshot as StoredSnapshot<ReportingCycleContext>;
  };
  const send = (snapshot: StoredSnapshot<ReportingCycleContext>, type: string, payload: object, actor: { role: string; unit: null }, at: number) =>
    step(reportingCycleV1, { instanceId: 'cycles:p', version: 1, snapshot }, type, payload, actor, at);

  test('given the workflow, then the engine registers it: assign-only, nothing invoked or delayed', () => {
    expect(new WorkflowRegistry([reportingCycleV1]).get('reporting-cycle', 1)).toBe(reportingCycleV1);
  });

  test('given a plan without cycles, then no timer is armed; when the office sets monthly cycles on the 5th, then the reminder and the due timer of June are armed', () => {
    const snapshot = begin();
    expect(cycleTimers(snapshot)).toEqual([]);
    const set = send(snapshot, 'SET_CYCLES', { frequency: 'monthly', day: 5 }, office, shanghai('2023-05-10T09:00:00'));
    if (!set.ok) throw set.error;
    expect(set.step.timers).toEqual([
      { key: 'remind:2023-06', dueAt: shanghai('2023-06-02T09:00:00'), event: { type: 'REMIND', payload: { cycle: '2023-06' } } },
      { key: 'due:2023-06', dueAt: shanghai('2023-06-06T00:00:00'), event: { type: 'CYCLE_DUE', payload: { cycle: '2023-06' } } },
    ]);
  });

  test('given cycles set, when the reminder fires, then only the due timer stays; when the due timer fires, then the next cycle\'s timers are armed', () => {
    const set = send(begin(), 'SET_CYCLES', { frequency: 'monthly', day: 5 }, office, shanghai('2023-05-10T09:00:00'));
    if (!set.ok) throw set.error;
    const reminded = send(set.step.snapshot as StoredSnapshot<ReportingCycleContext>, 'REMIND', { cycle: '2023-06' }, system, shanghai('2023-06-02T09:00:00'));
    if (!reminded.ok) throw reminded.error;
    expect(reminded.step.timers.map((t) => t.key)).toEqual(['due:2023-06']);
    const due = send(reminded.step.snapshot as StoredSnapshot<ReportingCycleContext>, 'CYCLE_DUE', { cycle: '2023-06' }, system, shanghai('2023-06-06T00:00:00'));
    if (!due.ok) throw due.error;
    expect(due.step.timers.map((t) => t.key)).toEqual(['remind:2023-07', 'due:2023-07']);
  });

  test('given the due timer fired late (the server was down past the next reminder), then the next cycle\'s reminder is not sent late, its due timer is armed', () => {
    const set = send(begin(), 'SET_CYCLES', { frequency: 'monthly', day: 5 }, office, shanghai('2023-05-10T09:00:00'));
    if (!set.ok) throw set.error;
    const due = send(set.step.snapshot as StoredSnapshot<ReportingCycleContext>, 'CYCLE_DUE', { cycle: '2023-06' }, system, shanghai('2023-07-04T00:00:00'));
    if (!due.ok) throw due.error;
    expect(due.step.timers.map((t) => t.key)).toEqual(['due:2023-07']);
  });

  test('given a unit, or the office sending a system event, then it is refused; a day 31 is refused as a payload', () => {
    const snapshot = begin();
    expect(send(snapshot, 'SET_CYCLES', { frequency: 'monthly', day: 5 }, { role: 'unit', unit: '市水务局' } as never, 1).ok).toBe(false);
    expect(send(snapshot, 'CYCLE_DUE', { cycle: '2023-06' }, office, 1).ok).toBe(false);
    expect(send(snapshot, 'SET_CYCLES', { frequency: 'monthly', day: 31 }, office, 1).ok).toBe(false);
    expect(reportingCycleV1.visibleTo(office, snapshot)).toBe(false);
  });
});

describe('reporting cycles: a reminder too late', () => {
  test('given the server down through the due day, when the reminder would fire after it, then it is refused (the engine drops it) and the due timer still fires', () => {
    const started = start(reportingCycleV1, 'cycles:p', { planId: 'p' }, office, shanghai('2023-05-10T09:00:00'));
    if (!started.ok) throw started.error;
    const set = step(reportingCycleV1, { instanceId: 'cycles:p', version: 1, snapshot: started.step.snapshot }, 'SET_CYCLES', { frequency: 'monthly', day: 5 }, office, shanghai('2023-05-10T09:00:00'));
    if (!set.ok) throw set.error;
    const at = { instanceId: 'cycles:p', version: 2, snapshot: set.step.snapshot };
    expect(step(reportingCycleV1, at, 'REMIND', { cycle: '2023-06' }, system, shanghai('2023-06-07T08:00:00')).ok).toBe(false);
    expect(step(reportingCycleV1, at, 'REMIND', { cycle: '2023-06' }, system, shanghai('2023-06-02T09:00:00')).ok).toBe(true);
    expect(step(reportingCycleV1, at, 'CYCLE_DUE', { cycle: '2023-06' }, system, shanghai('2023-06-07T08:00:00')).ok).toBe(true);
  });
});

describe('reporting cycles, version 2: a task\'s own schedule', () => {
  const id = 'cycles:p#2';
  const begin = (input: object) => {
    const started = start(reportingCycleV2, id, input, office, shanghai('2023-05-10T09:00:00'));
    if (!started.ok) throw started.error;
    return started.step.snapshot as StoredSnapshot<ScheduleContext>;
  };
  const send = (snapshot: StoredSnapshot<ScheduleContext>, version: number, type: string, payload: object, actor: { role: string; unit: null }, at: number) =>
    step(reportingCycleV2, { instanceId: id, version, snapshot }, type, payload, actor, at);

  test('given both versions registered, then an instance keeps its version and new ones take version 2', () => {
    const registry = new WorkflowRegistry([reportingCycleV1, reportingCycleV2]);
    expect(registry.get('reporting-cycle', 1)).toBe(reportingCycleV1);
    expect(registry.latest('reporting-cycle')).toBe(reportingCycleV2);
    expect(taskCyclesInstanceId('p', 2)).toBe(id);
  });

  test('given a task\'s schedule, when the office sets it, then its own timers are armed; when it clears it, then none is armed and a second clear is refused', () => {
    const snapshot = begin({ planId: 'p', taskId: 'p.002' });
    expect(snapshot.context).toMatchObject({ planId: 'p', taskId: 'p.002', settings: null });
    const set = send(snapshot, 1, 'SET_CYCLES', { frequency: 'monthly', day: 20 }, office, shanghai('2023-05-10T09:00:00'));
    if (!set.ok) throw set.error;
    expect(set.step.timers.map((t) => [t.key, t.dueAt])).toEqual([
      ['remind:2023-05', shanghai('2023-05-17T09:00:00')],
      ['due:2023-05', shanghai('2023-05-21T00:00:00')],
    ]);
    const cleared = send(set.step.snapshot as StoredSnapshot<ScheduleContext>, 2, 'CLEAR_CYCLES', {}, office, shanghai('2023-05-11T09:00:00'));
    if (!cleared.ok) throw cleared.error;
    expect(cleared.step.timers).toEqual([]);
    expect(cleared.step.snapshot.context).toMatchObject({ taskId: 'p.002', settings: null, cycle: null });
    expect(send(cleared.step.snapshot as StoredSnapshot<ScheduleContext>, 3, 'CLEAR_CYCLES', {}, office, shanghai('2023-05-12T09:00:00')).ok).toBe(false);
  });

  test('given a plan\'s schedule on version 2, then CLEAR_CYCLES is refused (the plan sets `none`), and a unit may not set a task\'s', () => {
    const plan = begin({ planId: 'p' });
    expect(plan.context.taskId).toBeNull();
    const set = send(plan, 1, 'SET_CYCLES', { frequency: 'monthly', day: 5 }, office, 1);
    if (!set.ok) throw set.error;
    expect(send(set.step.snapshot as StoredSnapshot<ScheduleContext>, 2, 'CLEAR_CYCLES', {}, office, 2).ok).toBe(false);
    expect(send(begin({ planId: 'p', taskId: 'p.002' }), 1, 'SET_CYCLES', { frequency: 'monthly', day: 5 }, { role: 'unit', unit: '市水务局' } as never, 1).ok).toBe(false);
  });
});
